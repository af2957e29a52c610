"""Events the interactions service publishes on `crm.interactions`."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crmkit.events import event

TOPIC = "crm.interactions"


@event("interaction.recorded", topic=TOPIC)
class InteractionRecorded(BaseModel):
    """A timeline entry was added to a customer's history."""
    id: uuid.UUID
    customer_id: uuid.UUID
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
    note: str | None = None
    data: dict[str, Any] = {}


class RecordedEntry(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID


@event("interactions.bulk_recorded", topic=TOPIC)
class InteractionsBulkRecorded(BaseModel):
    """Timeline entries written from one batch event (e.g. a bulk status change): one event per
    batch chunk, listing every entry, instead of one `interaction.recorded` per customer."""
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
    note: str | None = None
    data: dict[str, Any] = {}
    entries: list[RecordedEntry]


# Care tickets (I-6) and support tickets (I-7). Every payload names the ticket (`id`), its
# customer (`customer_id`) and its status after the change; the customers service counts them on
# the customer's detail (care_ticket.created|deleted, support_ticket.created|status_changed|deleted).


class _TicketEvent(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    status: str
    assignee_id: uuid.UUID | None = None
    version: int


@event("care_ticket.created", topic=TOPIC)
class CareTicketCreated(_TicketEvent):
    """A care ticket was planned for a customer."""
    method: str
    planned_at: datetime


@event("care_ticket.updated", topic=TOPIC)
class CareTicketUpdated(_TicketEvent):
    """A care ticket was edited; `changed` lists the fields."""
    changed: list[str]


@event("care_ticket.completed", topic=TOPIC)
class CareTicketCompleted(_TicketEvent):
    """A care ticket went from planned to done with its result (a `care` timeline entry is written)."""
    result: str | None = None


@event("care_ticket.cancelled", topic=TOPIC)
class CareTicketCancelled(_TicketEvent):
    """A planned care ticket was cancelled."""
    reason: str | None = None


@event("care_ticket.deleted", topic=TOPIC)
class CareTicketDeleted(_TicketEvent):
    """A care ticket was deleted (soft)."""


@event("support_ticket.created", topic=TOPIC)
class SupportTicketCreated(_TicketEvent):
    """A support ticket was opened for a customer (status pending)."""
    title: str
    handling_unit_id: uuid.UUID | None = None


@event("support_ticket.updated", topic=TOPIC)
class SupportTicketUpdated(_TicketEvent):
    """A support ticket was edited; `changed` lists the fields."""
    changed: list[str]


@event("support_ticket.status_changed", topic=TOPIC)
class SupportTicketStatusChanged(_TicketEvent):
    """A support ticket moved along pending → processing → done, or to cancelled (a `support`
    timeline entry is written)."""
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str
    note: str | None = None


@event("support_ticket.deleted", topic=TOPIC)
class SupportTicketDeleted(_TicketEvent):
    """A support ticket was deleted (soft)."""
