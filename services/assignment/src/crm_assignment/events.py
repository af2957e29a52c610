"""Events of the assignment service (topic `crm.assignment`). The customers service applies them
to owners and holders (`crm_customers.consumers`); the interactions service turns them into
notifications (`crm_interactions.handlers.notification_sources`). One assignment's customers are
published in chunks of at most 5,000 ids (2,000 for recalls; `chunk`, `last`): a distribution of 100,000 leads stays
within Kafka's message size and never one event per customer (E-3)."""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from crmkit.events import event

TOPIC = "crm.assignment"
CHUNK = 5_000
# a recall also maps each customer to its previous owner and unit (~300 bytes a customer): 2,000
# keep the event well under Kafka's 1 MiB record limit (crmkit.outbox)
RECALL_CHUNK = 2_000


class _AssignmentEvent(BaseModel):
    assignment_id: uuid.UUID
    job_id: uuid.UUID
    assignee_id: uuid.UUID
    assigned_by: uuid.UUID
    customer_ids: list[uuid.UUID]
    count: int = Field(description="customers in this event (this chunk)")
    chunk: int = Field(1, ge=1)
    last: bool = True
    sequence: int | None = Field(None, description=(
        "order of the service's events, increasing across the whole service (a database sequence drawn"
        " after the customers' rows were locked): the customers service applies an event older than the"
        " last one it applied to a customer as a no-op for that customer (A-7)"))


class _Handover(_AssignmentEvent):
    # the assignee's unit, so that the customers service can set the owner's unit even before
    # the identity event of a new rep has reached its user directory
    assignee_unit_id: uuid.UUID | None = None
    assignee_unit_path: str | None = None


@event("assignment.offered", topic=TOPIC)
class AssignmentOffered(_Handover):
    """Customers were offered to a rep, who holds them until accepting or declining by `expires_at`."""
    expires_at: datetime


@event("assignment.direct", topic=TOPIC)
class AssignmentDirect(_Handover):
    """Customers were assigned directly: the rep owns them at once (A-4)."""


@event("assignment.accepted", topic=TOPIC)
class AssignmentAccepted(_Handover):
    """The rep accepted an offer: they own its customers."""


@event("assignment.declined", topic=TOPIC)
class AssignmentDeclined(_AssignmentEvent):
    """The rep declined an offer: its customers return to the pool; the assigner is notified (with
    the rep's `reason`, when they gave one)."""
    reason: str | None = None


@event("assignment.expired", topic=TOPIC)
class AssignmentExpired(_AssignmentEvent):
    """An offer passed its deadline unanswered, or its rep was deactivated (`reason`
    `assignee_deactivated`): its customers return to the pool."""
    reason: str | None = None


class PreviousUnit(BaseModel):
    unit_id: uuid.UUID | None = None
    unit_path: str | None = None


@event("assignment.recalled", topic=TOPIC)
class AssignmentRecalled(_AssignmentEvent):
    """Customers were recalled from an assignment (A-5): ownership reverts to
    `previous_owner_ids[customer_id]` (none: unassigned), in the unit that owner had then
    (`previous_owner_units[customer_id]`: `{unit_id, unit_path}`), used when the user directory no
    longer knows that owner."""
    previous_owner_ids: dict[str, uuid.UUID | None]
    previous_owner_units: dict[str, PreviousUnit] = {}
    reason: str | None = Field(None, description="`sla_missed`: recalled by the SLA sweeper because the rep did not"
                                                 " contact the customers in time (A-6); absent for a manager's recall")


@event("assignment.sla_warning", topic=TOPIC)
class AssignmentSlaWarning(_AssignmentEvent):
    """The rep has not contacted these customers yet and will lose them at `recall_at` (the
    earliest deadline among them) unless they do (A-6): one event per assignment and sweep."""
    recall_at: datetime


@event("job.created", topic=TOPIC)
class JobCreated(BaseModel):
    """A job ("công việc") was created (A-2)."""
    id: uuid.UUID
    content: str
    type: str
    target: str | None = None
    created_by: uuid.UUID
