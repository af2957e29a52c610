"""The counts of a customer's detail (C-14), fed event by event through the consumer's inbox:
every future interactions event, redeliveries, out-of-order deletes, never negative."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from crmkit.consumer import EventConsumer
from crmkit.events import Envelope

from crm_customers.consumers import CONSUMERS
from crm_customers.handlers.read_models import HANDLERS, get_counts

SPEC = next(c for c in CONSUMERS if c.name == "interactions")
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def consumer(pool) -> EventConsumer:
    return EventConsumer(name="test", pool=pool, bootstrap="unused:0", topics=SPEC.topics, handlers=SPEC.handlers)


def envelope(type_: str, customer_id: uuid.UUID, item_id: uuid.UUID | None = None, minutes: int = 0,
             **data) -> Envelope:
    return Envelope(type=type_, source="interactions", subject=str(customer_id), occurred_at=T0 + timedelta(minutes=minutes),
                    data={"id": str(item_id or uuid.uuid4()), "customer_id": str(customer_id), **data})


async def feed(c: EventConsumer, e: Envelope) -> bool:
    return await c.handle(e, c.handlers[e.type])


def test_the_consumer_covers_every_event_name():
    assert SPEC.topics == ["crm.interactions"] and set(SPEC.handlers) == {
        "interaction.recorded", "interactions.bulk_recorded", "care_ticket.created", "care_ticket.deleted", "support_ticket.created",
        "support_ticket.status_changed", "support_ticket.deleted", "attachment.added", "attachment.deleted",
        "comment.posted", "comment.deleted"} == set(HANDLERS)


async def test_timeline_entries_count_once_per_event(pool):
    c, customer = consumer(pool), uuid.uuid4()
    assert await get_counts(pool, customer) == {"timeline": 0, "care_tickets": 0, "open_support_tickets": 0,
                                                "attachments": 0, "comments": 0}
    recorded = envelope("interaction.recorded", customer, type="call_out")
    assert await feed(c, recorded) is True
    assert await feed(c, recorded) is False  # redelivery
    await feed(c, envelope("interaction.recorded", customer, type="note"))
    assert (await get_counts(pool, customer))["timeline"] == 2


async def test_entries_of_a_batch_event_count_once_per_entry(pool):
    c, first, second = consumer(pool), uuid.uuid4(), uuid.uuid4()
    customer_ids = [str(customer) for customer in (first, second, first)]
    batch = Envelope(type="interactions.bulk_recorded", source="interactions", subject=str(uuid.uuid4()),
                     data={"type": "classified", "occurred_at": T0.isoformat(),
                           "entry_ids": [str(uuid.uuid4()) for _ in customer_ids], "customer_ids": customer_ids})
    assert await feed(c, batch) is True
    assert await feed(c, batch) is False  # redelivery
    assert (await get_counts(pool, first))["timeline"] == 2
    assert (await get_counts(pool, second))["timeline"] == 1


async def test_care_tickets_attachments_and_comments(pool):
    c, customer = consumer(pool), uuid.uuid4()
    ticket, attachment, comment = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for e in [envelope("care_ticket.created", customer, ticket), envelope("care_ticket.created", customer, uuid.uuid4()),
              envelope("attachment.added", customer, attachment), envelope("comment.posted", customer, comment),
              envelope("comment.posted", customer, uuid.uuid4())]:
        await feed(c, e)
    # the same item again under another event id changes nothing
    await feed(c, envelope("care_ticket.created", customer, ticket, minutes=1))
    counts = await get_counts(pool, customer)
    assert (counts["care_tickets"], counts["attachments"], counts["comments"]) == (2, 1, 2)
    for e in [envelope("care_ticket.deleted", customer, ticket, 2), envelope("care_ticket.deleted", customer, ticket, 3),
              envelope("attachment.deleted", customer, attachment, 2), envelope("comment.deleted", customer, comment, 2)]:
        await feed(c, e)
    counts = await get_counts(pool, customer)
    assert (counts["care_tickets"], counts["attachments"], counts["comments"]) == (1, 0, 1)


async def test_a_delete_before_its_create_counts_nothing_and_counts_never_go_negative(pool):
    c, customer, late = consumer(pool), uuid.uuid4(), uuid.uuid4()
    await feed(c, envelope("attachment.deleted", customer, late, minutes=5))
    await feed(c, envelope("attachment.added", customer, late, minutes=1))
    await feed(c, envelope("comment.deleted", customer, minutes=1))
    counts = await get_counts(pool, customer)
    assert counts["attachments"] == 0 and counts["comments"] == 0


async def test_open_support_tickets_follow_their_status(pool):
    c, customer = consumer(pool), uuid.uuid4()
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await feed(c, envelope("support_ticket.created", customer, first, 0, status="pending"))
    await feed(c, envelope("support_ticket.created", customer, second, 0, status="pending"))
    await feed(c, envelope("support_ticket.created", customer, third, 0, status="done"))
    assert (await get_counts(pool, customer))["open_support_tickets"] == 2
    await feed(c, envelope("support_ticket.status_changed", customer, first, 1, **{"from": "pending", "to": "processing"}))
    assert (await get_counts(pool, customer))["open_support_tickets"] == 2
    await feed(c, envelope("support_ticket.status_changed", customer, first, 3, **{"from": "processing", "to": "done"}))
    # an older change arriving late is stale
    await feed(c, envelope("support_ticket.status_changed", customer, first, 2, **{"from": "pending", "to": "processing"}))
    assert (await get_counts(pool, customer))["open_support_tickets"] == 1
    await feed(c, envelope("support_ticket.deleted", customer, second, 4))
    await feed(c, envelope("support_ticket.deleted", customer, third, 4))  # was not open
    assert (await get_counts(pool, customer))["open_support_tickets"] == 0
    # a status change of a ticket never seen counts it from now on
    unseen = uuid.uuid4()
    await feed(c, envelope("support_ticket.status_changed", customer, unseen, 5, **{"from": "pending", "to": "processing"}))
    await feed(c, envelope("support_ticket.created", customer, unseen, 0, status="pending"))
    assert (await get_counts(pool, customer))["open_support_tickets"] == 1


async def test_an_event_without_customer_is_ignored(pool):
    c = consumer(pool)
    e = Envelope(type="comment.posted", source="interactions", subject=str(uuid.uuid4()),
                 data={"id": str(uuid.uuid4()), "support_ticket_id": str(uuid.uuid4())})
    assert await feed(c, e) is True
    assert await pool.fetchval("SELECT count(*) FROM customer_counts") == 0
