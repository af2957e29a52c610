"""Events the interactions service publishes on `crm.interactions`."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

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


# Ids of batch events as text: thousands per event, formatted by PostgreSQL, not one UUID object each.
UuidText = Annotated[str, Field(json_schema_extra={"format": "uuid"})]


@event("interactions.bulk_recorded", topic=TOPIC)
class InteractionsBulkRecorded(BaseModel):
    """Timeline entries written from one batch event (a bulk status change, an import chunk): one
    event per batch chunk instead of one `interaction.recorded` per customer. `entry_ids[i]` is
    the entry written for `customer_ids[i]`; the other fields are common to all of them."""
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
    note: str | None = None
    data: dict[str, Any] = {}
    entry_ids: list[UuidText]
    customer_ids: list[UuidText]


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


# Appointments and tasks (I-8). Every payload names the appointment (`id`), its optional customer,
# assignee, type, start and status after the change.


class _AppointmentEvent(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID | None = None
    assignee_id: uuid.UUID
    type: str
    starts_at: datetime
    status: str
    version: int


@event("appointment.created", topic=TOPIC)
class AppointmentCreated(_AppointmentEvent):
    """An appointment or task was planned (an `appointment` timeline entry when it names a customer)."""
    title: str


@event("appointment.updated", topic=TOPIC)
class AppointmentUpdated(_AppointmentEvent):
    """An appointment was edited; `changed` lists the fields."""
    changed: list[str]


@event("appointment.status_changed", topic=TOPIC)
class AppointmentStatusChanged(_AppointmentEvent):
    """An appointment went from planned to done or cancelled."""
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str


@event("appointment.deleted", topic=TOPIC)
class AppointmentDeleted(_AppointmentEvent):
    """An appointment was deleted (soft)."""


# Comments (I-3) and mentions (I-4). The customers service counts comment.posted|deleted by
# `{id, customer_id}`; `hashtags` are folded, `mentions` are the mentioned users' ids.


class _CommentEvent(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    author_id: uuid.UUID
    hashtags: list[str] = []
    mentions: list[uuid.UUID] = []
    ticket_type: Literal["care_ticket", "support_ticket"] | None = None
    ticket_id: uuid.UUID | None = None


@event("comment.posted", topic=TOPIC)
class CommentPosted(_CommentEvent):
    """A comment was posted on a customer, or on one of its tickets (`ticket_type`, `ticket_id`);
    a `comment` timeline entry is written."""


@event("comment.edited", topic=TOPIC)
class CommentEdited(_CommentEvent):
    """Its author edited a comment; hashtags and mentions are those after the edit."""
    version: int


@event("comment.deleted", topic=TOPIC)
class CommentDeleted(_CommentEvent):
    """A comment was deleted (soft; still listable by managers)."""
    deleted_by: uuid.UUID


@event("mention.created", topic=TOPIC)
class MentionCreated(BaseModel):
    """A user was @mentioned in a comment and got an important notification."""
    comment_id: uuid.UUID
    customer_id: uuid.UUID
    user_id: uuid.UUID
    username: str
    author_id: uuid.UUID


@event("mention.acknowledged", topic=TOPIC)
class MentionAcknowledged(BaseModel):
    """The mentioned user acknowledged the comment."""
    comment_id: uuid.UUID
    customer_id: uuid.UUID
    user_id: uuid.UUID
    acknowledged_at: datetime


# Attachments (I-5). The customers service counts them on the customer's detail by `{id, customer_id}`.


class _AttachmentEvent(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    filename: str
    size: int
    content_type: str
    parent_type: Literal["support_ticket", "comment"] | None = None
    parent_id: uuid.UUID | None = None


@event("attachment.added", topic=TOPIC)
class AttachmentAdded(_AttachmentEvent):
    """A file was attached to a customer, or to one of its support tickets or comments
    (`parent_type`, `parent_id`); content type sniffed from its bytes."""


@event("attachment.deleted", topic=TOPIC)
class AttachmentDeleted(_AttachmentEvent):
    """An attachment was deleted (soft; the file goes when the customer is purged)."""


# Call result sheets (I-2). Compensation counts contact attempts from `call.logged`.


@event("call.logged", topic=TOPIC)
class CallLogged(BaseModel):
    """A call result sheet was logged on a customer by a rep or a call-centre system (a `call_in`,
    `call_out` or `call_missed` timeline entry is written); one per call, retries excluded."""
    id: uuid.UUID
    customer_id: uuid.UUID
    direction: str
    outcome: str
    duration_seconds: int
    rating: int | None = None
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
