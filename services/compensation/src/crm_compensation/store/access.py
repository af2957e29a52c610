"""The one definition of who sees which lead package and which compensation request (docs/api.md
"Compensation"), used by reads by id, lists and writes alike so that they always agree; an
object outside it is not found (404), never forbidden.

* a package: its owner (`owner_id`); every user of its owning unit (`owner_unit_id`, exact unit);
  a manager whose unit is at or above the package's unit (`owner_unit_path` in their subtree);
  admins and reviewers (all);
* a request: its requester; plus whoever sees its package as owner, manager, admin or reviewer —
  a rep of a unit-owned package sees only their own requests there.

The SQL functions append their arguments to `params` and return a condition; the request's
condition needs its package joined (`JOIN lead_packages p ON p.id = r.package_id`).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from crmkit.access import subtree_path, within_subtree_sql
from crmkit.auth import REVIEWER, Principal


class Params(list[Any]):
    """Positional arguments of one statement: `params.add(value)` appends and returns `$n`."""

    def add(self, value: Any) -> str:
        self.append(value)
        return f"${len(self)}"


@dataclass(frozen=True)
class Access:
    """What a caller reaches, derived once from the principal (`access_of`)."""
    user_id: uuid.UUID | None
    unit_id: uuid.UUID | None = None
    sees_all: bool = False          # admins and reviewers
    is_admin: bool = False          # admins also manage every package
    subtree: str | None = None      # a manager's unit path, "/…/" (never empty or "/")


def access_of(principal: Principal) -> Access:
    """Integrator keys (service accounts) reach no package or request."""
    if principal.kind == "service":
        return Access(user_id=None)
    if principal.is_admin or principal.has_role(REVIEWER):
        return Access(user_id=principal.user_id, unit_id=principal.unit_id, sees_all=True,
                      is_admin=principal.is_admin)
    subtree = subtree_path(principal.unit_path) if principal.is_manager else None
    return Access(user_id=principal.user_id, unit_id=principal.unit_id, subtree=subtree)


def _as_access(who: Principal | Access) -> Access:
    return who if isinstance(who, Access) else access_of(who)


def _managed_sql(access: Access, params: Params, alias: str) -> list[str]:
    """The package `alias` is the caller's own or lies in their managed subtree."""
    reach: list[str] = []
    if access.user_id is not None:
        reach.append(f"{alias}.owner_id = {params.add(access.user_id)}")
    if access.subtree:
        reach.append(within_subtree_sql(f"{alias}.owner_unit_path", params.add(access.subtree)))
    return reach


def visible_packages_sql(who: Principal | Access, params: Params, *, alias: str = "p") -> str:
    """The package row `alias` is visible to the caller."""
    access = _as_access(who)
    if access.sees_all:
        return "TRUE"
    reach = _managed_sql(access, params, alias)
    if access.unit_id is not None:
        reach.append(f"{alias}.owner_unit_id = {params.add(access.unit_id)}")
    return f"({' OR '.join(reach)})" if reach else "FALSE"


def visible_requests_sql(who: Principal | Access, params: Params, *, alias: str = "r",
                         package_alias: str = "p") -> str:
    """The request row `alias` (its package joined as `package_alias`) is visible to the caller."""
    access = _as_access(who)
    if access.sees_all:
        return "TRUE"
    reach = _managed_sql(access, params, package_alias)
    if access.user_id is not None:
        reach.append(f"{alias}.requester_id = {params.add(access.user_id)}")
    return f"({' OR '.join(reach)})" if reach else "FALSE"


def manages(who: Principal | Access, *, owner_unit_path: str | None) -> bool:
    """An admin, or a manager whose subtree holds the unit path (a package's, a customer's owner's):
    who may create and edit packages there, and ask for compensation on a unit-owned package."""
    access = _as_access(who)
    if access.is_admin:
        return True
    return bool(access.subtree and owner_unit_path
                and (owner_unit_path if owner_unit_path.endswith("/") else owner_unit_path + "/")
                .startswith(access.subtree))
