"""The customers service's models of the events it consumes accept exactly what the producers'
own event models publish (drift between producer and consumer fails here, not in production),
and an event whose data the model refuses changes nothing: it fails, to be retried, then
dead-lettered."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ValidationError

from crmkit.consumer import EventConsumer
from crmkit.events import Envelope

from crm_assignment import events as assignment
from crm_customers import consumed_events as consumed
from crm_customers.consumers import CONSUMERS
from crm_customers.handlers.read_models import get_counts
from crm_import import events as imports
from crm_interactions import events as interactions


def event_type(model: type[BaseModel]) -> str:
    return str(model.__event_type__)  # type: ignore[attr-defined]  # set by crmkit.events.event


NOW = datetime(2025, 1, 1, tzinfo=UTC)
CUSTOMER, OTHER, ITEM, USER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ASSIGNMENT = {"assignment_id": uuid.uuid4(), "job_id": uuid.uuid4(), "assignee_id": USER, "assigned_by": USER,
              "customer_ids": [CUSTOMER, OTHER], "count": 2}
HANDOVER = {**ASSIGNMENT, "assignee_unit_id": uuid.uuid4(), "assignee_unit_path": "/r/b1/"}
TICKET = {"id": ITEM, "customer_id": CUSTOMER, "assignee_id": USER, "version": 1}
COMMENT = {"id": ITEM, "customer_id": CUSTOMER, "author_id": USER}
ATTACHMENT = {"id": ITEM, "customer_id": CUSTOMER, "filename": "a.pdf", "size": 1, "content_type": "application/pdf"}

# one producer event of every consumed type, with every field the consumer reads set
PRODUCED: list[BaseModel] = [
    interactions.InteractionRecorded(id=ITEM, customer_id=CUSTOMER, type="note", occurred_at=NOW),
    interactions.InteractionsBulkRecorded(type="classified", occurred_at=NOW, entry_ids=[str(ITEM)],
                                          customer_ids=[str(CUSTOMER)]),
    interactions.CareTicketCreated(**TICKET, status="planned", method="call", planned_at=NOW),
    interactions.CareTicketDeleted(**TICKET, status="planned"),
    interactions.SupportTicketCreated(**TICKET, status="pending", title="t"),
    interactions.SupportTicketStatusChanged(**TICKET, status="processing", from_="pending", to="processing"),
    interactions.SupportTicketDeleted(**TICKET, status="done"),
    interactions.AttachmentAdded(**ATTACHMENT),
    interactions.AttachmentDeleted(**ATTACHMENT),
    interactions.CommentPosted(**COMMENT),
    interactions.CommentDeleted(**COMMENT, deleted_by=USER),
    assignment.AssignmentOffered(**HANDOVER, expires_at=NOW),
    assignment.AssignmentAccepted(**HANDOVER),
    assignment.AssignmentDirect(**HANDOVER),
    assignment.AssignmentDeclined(**ASSIGNMENT, reason="busy"),
    assignment.AssignmentExpired(**ASSIGNMENT),
    assignment.AssignmentRecalled(**ASSIGNMENT, previous_owner_ids={str(CUSTOMER): USER, str(OTHER): None},
                                  previous_owner_units={str(CUSTOMER): assignment.PreviousUnit(
                                      unit_id=uuid.uuid4(), unit_path="/r/b2/")}),
    imports.ImportChunk(job_id=uuid.uuid4(), chunk_no=3, dry_run=True, importer_id=USER, owner_id=USER,
                        group_id=None, new_group=imports.NewGroup(name="Hội chợ", description="Tháng 9"),
                        lead_package_id=uuid.uuid4(), fields=["name", "phone", "attributes.tier"],
                        rows=[imports.ChunkRow(row=2, values=["An", "0912345678", None])]),
]
# read only from recalls published by older versions of the assignment service (replays)
LEGACY = {"previous_owner_id", "previous_owner_unit_id", "previous_owner_unit_path"}
HANDLERS = {type_: handler for spec in CONSUMERS for type_, handler in spec.handlers.items()}
# event type -> the model its handler validates with (CountedItem for the others)
MODELS = {"interaction.recorded": consumed.InteractionRecorded,
          "interactions.bulk_recorded": consumed.InteractionsBulkRecorded,
          "support_ticket.created": consumed.SupportTicketCreated,
          "support_ticket.status_changed": consumed.SupportTicketStatusChanged,
          "assignment.offered": consumed.AssignmentEvent, "assignment.declined": consumed.AssignmentEvent,
          "assignment.expired": consumed.AssignmentEvent, "assignment.accepted": consumed.Handover,
          "assignment.direct": consumed.Handover, "assignment.recalled": consumed.AssignmentRecalled,
          "customers.import_chunk": consumed.ImportChunk}


def test_every_consumed_type_has_a_produced_example():
    assert {event_type(type(e)) for e in PRODUCED} == set(HANDLERS) == set(MODELS) | {
        "care_ticket.created", "care_ticket.deleted", "support_ticket.deleted", "attachment.added",
        "attachment.deleted", "comment.posted", "comment.deleted"}


@pytest.mark.parametrize("produced", PRODUCED, ids=lambda e: event_type(type(e)))
def test_the_consumed_model_reads_what_the_producer_publishes(produced: BaseModel):
    model = MODELS.get(event_type(type(produced)), consumed.CountedItem)
    data = produced.model_dump(mode="json")
    read = model.model_validate(data)
    for name, value in read.model_dump(mode="json", exclude=LEGACY).items():
        assert value == data[name], name  # every field read is one the producer sends, as it sends it


async def test_data_the_model_refuses_fails_the_event_and_changes_nothing(pool):
    spec = next(c for c in CONSUMERS if c.name == "interactions")
    c = EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=spec.topics, handlers=spec.handlers)
    refused = Envelope(type="support_ticket.created", source="interactions", subject=str(CUSTOMER),
                       data={"id": str(uuid.uuid4()), "customer_id": "not-a-uuid", "status": "pending"})
    with pytest.raises(ValidationError):  # the consumer retries it, then dead-letters it
        await c.handle(refused, c.handlers[refused.type])
    assert await pool.fetchval("SELECT count(*) FROM customer_counts") == 0
    assert await pool.fetchval("SELECT count(*) FROM customer_count_items") == 0
    ok = Envelope(type="support_ticket.created", source="interactions", subject=str(CUSTOMER),
                  data={"id": str(uuid.uuid4()), "customer_id": str(CUSTOMER), "status": "pending"})
    assert await c.handle(ok, c.handlers[ok.type]) is True
    assert (await get_counts(pool, CUSTOMER))["open_support_tickets"] == 1
