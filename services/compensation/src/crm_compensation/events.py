"""Events the compensation service publishes on `crm.compensation` (P-6: every transition is an
event). The interactions service turns `compensation.request_created` / `request_decided` into a
`compensation` timeline line and `request_decided` / `batch_completed` into the requester's
notification (its consumed_events: `owner_id` is the recipient — the requester)."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from crmkit.events import event

TOPIC = "crm.compensation"


class PackagePolicy(BaseModel):
    reasons: list[str]
    window_days: int
    max_share: Decimal
    min_call_attempts: int


class PackageState(BaseModel):
    id: uuid.UUID
    name: str
    provider: str
    owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    purchased_at: datetime
    policy: PackagePolicy
    version: int


@event("lead_package.created", topic=TOPIC)
class LeadPackageCreated(PackageState):
    """A lead package ("gói tài khoản") was created (P-1)."""


@event("lead_package.updated", topic=TOPIC)
class LeadPackageUpdated(PackageState):
    """A lead package's name, provider, owner or policy changed."""


@event("lead_package.leads_added", topic=TOPIC)
class LeadPackageLeadsAdded(BaseModel):
    """Customers became leads of a package (by the API or an import's `lead_package_id`); only the
    ones newly added, ≤ 5,000 a message."""
    package_id: uuid.UUID
    customer_ids: list[uuid.UUID]
    delivered_at: datetime
    job_id: uuid.UUID | None = None


class RequestEvent(BaseModel):
    """A request's transition. `owner_id`: the requester, whom the interactions service notifies."""
    request_id: uuid.UUID
    customer_id: uuid.UUID
    package_id: uuid.UUID
    batch_id: uuid.UUID | None = None
    reason_code: str
    status: str
    owner_id: uuid.UUID
    note: str | None = None
    version: int


@event("compensation.request_created", topic=TOPIC)
class RequestCreated(RequestEvent):
    """A draft request for compensation ("yêu cầu bù") passed the eligibility rules (P-2)."""


@event("compensation.request_updated", topic=TOPIC)
class RequestUpdated(RequestEvent):
    """A draft's reason changed (P-3)."""


@event("compensation.request_withdrawn", topic=TOPIC)
class RequestWithdrawn(RequestEvent):
    """A draft was withdrawn by its requester (P-3)."""


@event("compensation.request_decided", topic=TOPIC)
class RequestDecided(RequestEvent):
    """A reviewer (or an automatic rule: `auto`, `auto_rule_id`) approved or rejected a request (P-5)."""
    decision: str
    auto: bool = False
    auto_rule_id: uuid.UUID | None = None


@event("compensation.batch_submitted", topic=TOPIC)
class BatchSubmitted(BaseModel):
    """A package's drafts were sent for review as one batch ("gửi xét duyệt", P-4)."""
    batch_id: uuid.UUID
    package_id: uuid.UUID
    owner_id: uuid.UUID
    request_ids: list[uuid.UUID]
    submitted_at: datetime


@event("compensation.batch_completed", topic=TOPIC)
class BatchCompleted(BaseModel):
    """Every request of a batch is decided; `owner_id`: who submitted it (notified)."""
    batch_id: uuid.UUID
    package_id: uuid.UUID
    owner_id: uuid.UUID
    approved: int
    rejected: int
    completed_at: datetime


@event("compensation.credit_added", topic=TOPIC)
class CreditAdded(BaseModel):
    """An approved request added a replacement credit to its package's ledger (P-5)."""
    credit_id: uuid.UUID
    package_id: uuid.UUID
    request_id: uuid.UUID
    customer_id: uuid.UUID
    amount: int
