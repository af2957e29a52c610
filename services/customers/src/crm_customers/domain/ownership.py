"""Who may own a customer (API.md): a rep owns what they create; managers and admins may give a
customer to a user in their reach, or leave it unassigned."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from crmkit.auth import Principal

from crm_customers.domain.errors import RuleViolation


class OwnerNotInReach(RuleViolation):
    code = "owner_not_in_reach"


@dataclass(frozen=True)
class Candidate:
    """A user from the directory who could become owner."""
    id: uuid.UUID
    unit_id: uuid.UUID | None
    unit_path: str | None
    active: bool


def assigns_others(principal: Principal) -> bool:
    return principal.is_admin or principal.is_manager


def owns_by_default(principal: Principal) -> bool:
    """Without an explicit owner: a rep becomes owner; managers, admins and integrators leave it
    unassigned."""
    return principal.kind == "user" and not assigns_others(principal) and principal.has_role("sales")


def check_owner(principal: Principal, candidate: Candidate | None) -> Candidate:
    """The candidate when the caller may make them owner, else OwnerNotInReach."""
    if candidate is None or not candidate.active:
        raise OwnerNotInReach(candidate.id if candidate else None)
    if principal.is_admin or candidate.id == principal.user_id:
        return candidate
    if principal.is_manager and principal.reaches_unit_path(candidate.unit_path):
        return candidate
    raise OwnerNotInReach(candidate.id)
