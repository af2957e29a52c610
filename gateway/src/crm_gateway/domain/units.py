"""Organisation tree rules: levels, materialized paths, cycles (pure, no I/O)."""
from __future__ import annotations

import uuid

from crmkit.domain_errors import Conflict, Invalid

KINDS = ("company", "branch", "department", "team")
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


def check_placement(*, kind: str, parent_kind: str | None) -> None:
    """company → branch → department → team: a child is strictly below its parent's level.

    Levels may be skipped (a team directly under a branch); the company is the one root.
    """
    if kind == "company" and parent_kind is None:
        return
    if kind == "company" or parent_kind is None:
        raise Invalid(code="unit_kind_invalid", params={"kind": kind, "parent_kind": parent_kind or "-"})
    if _RANK[kind] <= _RANK[parent_kind]:
        raise Invalid(code="unit_kind_invalid", params={"kind": kind, "parent_kind": parent_kind})


def check_children_fit(*, kind: str, child_kinds: list[str]) -> None:
    for child_kind in child_kinds:
        if _RANK[child_kind] <= _RANK[kind]:
            raise Invalid(code="unit_kind_invalid", params={"kind": child_kind, "parent_kind": kind})


def path_of(parent_path: str | None, unit_id: uuid.UUID) -> str:
    return f"{parent_path or '/'}{unit_id}/"


def depth_of(path: str) -> int:
    """0 for the root."""
    return path.strip("/").count("/")


def is_within(path: str, ancestor_path: str) -> bool:
    return path.startswith(ancestor_path)


def check_no_cycle(*, unit_path: str, new_parent_path: str) -> None:
    if is_within(new_parent_path, unit_path):
        raise Conflict("unit_cycle")
