"""A tiny helper to build WHERE clauses with numbered asyncpg parameters."""
from __future__ import annotations

from typing import Any

from crmkit.access import within_subtree_sql

from crm_gateway.domain.access import Reach


class Where:
    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.args: list[Any] = []

    def arg(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"

    def add(self, condition: str, *values: Any) -> Where:
        """`condition` uses {} placeholders, one per value."""
        self.conditions.append(condition.format(*(self.arg(v) for v in values)))
        return self

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.conditions) if self.conditions else ""


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def in_subtree_of_unit(path_column: str, unit_id_param: str) -> str:
    """SQL: the unit path `path_column` lies in the current subtree of a unit (paths change on
    moves, so the unit's path is read in the statement)."""
    return within_subtree_sql(path_column, f"(SELECT path FROM units WHERE id = {unit_id_param})")


def add_unit_reach(where: Where, reach: Reach, *, path_column: str, unit_column: str) -> None:
    if reach.scope == "subtree":
        where.conditions.append(in_subtree_of_unit(path_column, where.arg(reach.unit_id)))
    elif reach.scope == "self":
        where.add(f"{unit_column} = {{}}", reach.unit_id)
