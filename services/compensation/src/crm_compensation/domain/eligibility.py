"""Whether a request for compensation ("yêu cầu bù") of a lead may be made (P-2): pure rules over
plain data, checked in the contract's order so that a request that breaks several rules is
refused by the first, always the same one. Every refusal names its rule and carries what the
requester needs to understand it (the deadline, the allowed reasons, the quota, the attempts)."""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

LIVE_NOT_REJECTED = ("draft", "submitted", "approved")  # what uses a package's quota


@dataclass(frozen=True)
class Policy:
    """A package's compensation policy."""
    reasons: tuple[str, ...]
    window_days: int
    max_share: Decimal
    min_call_attempts: int


@dataclass(frozen=True)
class Reason:
    """A reason of the catalogue; `counts_calls`: the policy's minimum of call attempts applies."""
    code: str
    counts_calls: bool
    active: bool = True


@dataclass(frozen=True)
class Asker:
    """Who asks, and what they are to this lead: the customer's owner, the package's owner, a
    manager over a unit-owned package, or an admin may ask."""
    user_id: uuid.UUID
    is_admin: bool = False
    manages_package: bool = False


@dataclass(frozen=True)
class ExistingRequest:
    id: uuid.UUID
    status: str


@dataclass(frozen=True)
class Case:
    """Everything the rules read about one request (on a PATCH, without the request itself in
    `existing` and `used`)."""
    asker: Asker
    now: datetime
    delivered_at: datetime | None          # None: the customer is not a lead of the package
    package_owner_id: uuid.UUID | None
    customer_owner_id: uuid.UUID | None
    policy: Policy
    reason_code: str
    reason: Reason | None                  # None: not in the catalogue
    active_reasons: tuple[str, ...] = ()   # the catalogue's active codes
    existing: tuple[ExistingRequest, ...] = ()  # the live (not withdrawn) requests of this lead
    used: int = 0                          # the package's requests that use its quota
    leads: int = 0
    attempts: int = 0                      # calls on the customer since delivery


@dataclass(frozen=True)
class Refusal:
    code: str
    details: dict[str, Any] = field(default_factory=dict)


def deadline(delivered_at: datetime, window_days: int) -> datetime:
    return delivered_at + timedelta(days=window_days)


def maximum(policy: Policy, leads: int) -> int:
    """How many requests the package's quota allows: floor(max_share × leads)."""
    return math.floor(policy.max_share * leads)


def may_ask(asker: Asker, *, customer_owner_id: uuid.UUID | None, package_owner_id: uuid.UUID | None) -> bool:
    """Whoever works the lead: the customer's owner, the package's owner, a manager over a
    unit-owned package; and admins."""
    return (asker.is_admin or asker.manages_package
            or asker.user_id in {customer_owner_id, package_owner_id} - {None})


def allowed_reasons(case: Case) -> list[str]:
    return [code for code in case.policy.reasons if code in case.active_reasons]


def _reason_allowed(case: Case) -> bool:
    return (case.reason is not None and case.reason.active and case.reason_code in case.policy.reasons)


def refusal(case: Case) -> Refusal | None:
    """The first rule the request breaks, or None when it may be made."""
    if case.delivered_at is None:
        return Refusal("not_in_package")
    if not may_ask(case.asker, customer_owner_id=case.customer_owner_id, package_owner_id=case.package_owner_id):
        return Refusal("not_requester")
    if not _reason_allowed(case):
        return Refusal("reason_not_allowed", {"allowed": allowed_reasons(case)})
    due = deadline(case.delivered_at, case.policy.window_days)
    if case.now > due:
        return Refusal("outside_window", {"deadline": due.isoformat()})
    for request in case.existing:
        if request.status == "approved":
            return Refusal("already_compensated", {"request_id": str(request.id)})
    for request in case.existing:
        if request.status in ("draft", "submitted", "rejected"):
            return Refusal("already_requested", {"request_id": str(request.id), "request_status": request.status})
    most = maximum(case.policy, case.leads)
    if case.used >= most:
        return Refusal("quota_exceeded", {"used": case.used, "maximum": most,
                                          "max_share": float(case.policy.max_share)})
    if case.reason is not None and case.reason.counts_calls and case.attempts < case.policy.min_call_attempts:
        return Refusal("not_enough_call_attempts", {"attempts": case.attempts,
                                                    "minimum": case.policy.min_call_attempts})
    return None
