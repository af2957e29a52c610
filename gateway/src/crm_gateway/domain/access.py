"""Who may see and change identity data (pure, no I/O).

Admins (and service accounts holding `identity.read`) see everything; managers see the subtree
of their unit; everybody else sees only themselves and their own unit. Only admins write.
Lists and reads by id apply the same reach in SQL, so they always agree.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from crmkit.auth import Principal
from crmkit.domain_errors import Forbidden

IDENTITY_READ = "identity.read"
# What an integrator key may carry: exactly the permissions some part of the platform checks.
PERMISSIONS = {
    "customers.read": "customers service: read and list every customer",
    "customers.write": "customers service: change customers (with customers.read)",
    "calls.write": "interactions service: log calls (POST /calls)",
    IDENTITY_READ: "gateway: read every user and unit, and the people directory",
}


@dataclass(frozen=True)
class Reach:
    scope: Literal["all", "subtree", "self"]
    unit_id: uuid.UUID | None
    user_id: uuid.UUID


def reach_of(principal: Principal) -> Reach:
    scope: Literal["all", "subtree", "self"]
    if principal.is_admin or (principal.kind == "service" and IDENTITY_READ in principal.permissions):
        scope = "all"
    elif principal.is_manager and principal.unit_id is not None:
        scope = "subtree"
    else:
        scope = "self"
    return Reach(scope=scope, unit_id=principal.unit_id, user_id=principal.user_id)


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("forbidden")
