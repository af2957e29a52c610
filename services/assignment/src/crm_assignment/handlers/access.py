"""Who may distribute, recall and see what (A-3 … A-5): admins everywhere; a manager within their
unit's subtree (the customers whose owner's unit is there, and the reps who work there); the
assignee and the assigner see their own assignments. Reps do not distribute."""
from __future__ import annotations

from crmkit.auth import Principal
from crmkit.domain_errors import Forbidden


def distributes(principal: Principal) -> bool:
    return principal.is_admin or (principal.is_manager and principal.kind == "user"
                                  and bool(principal.unit_path.strip("/")))


def reach(principal: Principal) -> str | None:
    """The unit path prefix the caller distributes within; None: everywhere (admin)."""
    if not distributes(principal):
        raise Forbidden("not_a_distributor")
    if principal.is_admin:
        return None
    return principal.unit_path if principal.unit_path.endswith("/") else principal.unit_path + "/"


def covers(principal: Principal, path: str | None) -> bool:
    """Whether `path` lies within the caller's reach; never for one who does not distribute (an
    object out of reach is not found to them, rather than forbidden: invisible = not found)."""
    return distributes(principal) and within(path, reach(principal))


def within(path: str | None, prefix: str | None) -> bool:
    return prefix is None or bool(path and path.startswith(prefix))
