"""The local read model of counts on a customer's detail (C-14), kept from the interactions
service's events (topic `crm.interactions`) — the detail never calls that service.

Every handler runs inside the consumer's inbox transaction (a redelivered event id is skipped).
Beyond that, tickets, attachments and comments are remembered per item (`customer_count_items`),
so that the same item created twice (another event id), deleted twice, deleted before its
creation arrived (out of order), or a status change older than the last one applied, never count
twice; counters never go below zero. A delete is final for an item.

What each handler reads of its event: `crm_customers.consumed_events`.
"""
from __future__ import annotations

import uuid

import asyncpg

from crmkit.consumer import Handler, typed
from crmkit.events import Envelope

from crm_customers import consumed_events as consumed
from crm_customers.store import counts as store

OPEN_SUPPORT_STATUSES = frozenset({"pending", "processing"})
# item kind -> the counter of its items (support tickets only count while open)
ITEM_COUNTERS = {"care_ticket": "care_tickets", "support_ticket": None, "attachment": "attachments",
                 "comment": "comments"}


async def get_counts(pool: asyncpg.Pool, customer_id: uuid.UUID) -> dict[str, int]:
    async with pool.acquire() as conn:
        return await store.get_counts(conn, customer_id)


def _deltas(kind: str, *, count: int, open_change: int) -> dict[str, int]:
    deltas = {"open_support_tickets": open_change} if kind == "support_ticket" else {}
    counter = ITEM_COUNTERS[kind]
    if counter:
        deltas[counter] = count
    return deltas


async def apply_item(conn: asyncpg.Connection, envelope: Envelope, item: consumed.CountedItem, *, kind: str,
                     present: bool, open: bool = False) -> None:
    """An item event: `present` False = deleted; `open` = a support ticket in pending/processing."""
    item_id, customer_id = item.id, item.customer_id
    if customer_id is None:
        return  # nothing to count it for (e.g. a comment on a ticket without its customer)
    at = envelope.occurred_at
    current = await store.lock_item(conn, kind, item_id)
    if current is None:
        if await store.insert_item(conn, kind=kind, item_id=item_id, customer_id=customer_id, open=present and open,
                                   deleted=not present, at=at):
            if present:  # a delete of an item never seen leaves a tombstone and counts nothing
                await store.add(conn, customer_id, _deltas(kind, count=1, open_change=int(open)))
            return
        current = await store.lock_item(conn, kind, item_id)  # inserted meanwhile by another consumer
        assert current is not None  # rows of items are never deleted (deleted = a tombstone)
    if current["deleted"] or (present and at < current["changed_at"]):
        return  # deleted is final; an older state than the one applied is stale
    if not present:
        await store.update_item(conn, kind=kind, item_id=item_id, open=False, deleted=True, at=at)
        await store.add(conn, current["customer_id"], _deltas(kind, count=-1, open_change=-int(current["open"])))
    elif open != current["open"]:
        await store.update_item(conn, kind=kind, item_id=item_id, open=open, deleted=False, at=at)
        await store.add(conn, current["customer_id"], _deltas(kind, count=0, open_change=1 if open else -1))


async def on_interaction_recorded(conn: asyncpg.Connection, envelope: Envelope,
                                  event: consumed.InteractionRecorded) -> None:
    """One more timeline entry (the inbox makes a redelivery count once)."""
    customer_id = event.customer_id or _subject_uuid(envelope)
    if customer_id is not None:
        await store.add(conn, customer_id, {"timeline": 1})


def _subject_uuid(envelope: Envelope) -> uuid.UUID | None:
    try:
        return uuid.UUID(envelope.subject) if envelope.subject else None
    except ValueError:
        return None


async def on_interactions_bulk_recorded(conn: asyncpg.Connection, envelope: Envelope,
                                        event: consumed.InteractionsBulkRecorded) -> None:
    """Entries written from one batch event, e.g. a bulk status change: one more per customer."""
    if event.customer_ids:
        await store.add_timeline_entries(conn, event.customer_ids)


def _item_handler(kind: str, *, present: bool) -> Handler:
    async def handle(conn: asyncpg.Connection, envelope: Envelope, event: consumed.CountedItem) -> None:
        await apply_item(conn, envelope, event, kind=kind, present=present)
    handle.__name__ = f"on_{kind}_{'present' if present else 'deleted'}"
    return typed(consumed.CountedItem, handle)


async def on_support_ticket_created(conn: asyncpg.Connection, envelope: Envelope,
                                    event: consumed.SupportTicketCreated) -> None:
    await apply_item(conn, envelope, event, kind="support_ticket", present=True,
                     open=event.status in OPEN_SUPPORT_STATUSES)


async def on_support_ticket_status_changed(conn: asyncpg.Connection, envelope: Envelope,
                                           event: consumed.SupportTicketStatusChanged) -> None:
    await apply_item(conn, envelope, event, kind="support_ticket", present=True, open=event.to in OPEN_SUPPORT_STATUSES)


HANDLERS = {
    "interaction.recorded": typed(consumed.InteractionRecorded, on_interaction_recorded),
    "interactions.bulk_recorded": typed(consumed.InteractionsBulkRecorded, on_interactions_bulk_recorded),
    "care_ticket.created": _item_handler("care_ticket", present=True),
    "care_ticket.deleted": _item_handler("care_ticket", present=False),
    "support_ticket.created": typed(consumed.SupportTicketCreated, on_support_ticket_created),
    "support_ticket.status_changed": typed(consumed.SupportTicketStatusChanged, on_support_ticket_status_changed),
    "support_ticket.deleted": _item_handler("support_ticket", present=False),
    "attachment.added": _item_handler("attachment", present=True),
    "attachment.deleted": _item_handler("attachment", present=False),
    "comment.posted": _item_handler("comment", present=True),
    "comment.deleted": _item_handler("comment", present=False),
}
