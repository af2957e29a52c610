"""Timeline use cases: entries caused by other services' events, and reading a customer's history."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound
from crmkit.events import Envelope
from crmkit.pagination import page_of, time_id_after
from crmkit.unit_of_work import UnitOfWork

from crm_interactions import events
from crm_interactions.consumed_events import (
    CompensationRequest,
    CustomerSeen,
    LabelsChanged,
    OwnerChanged,
    StatusChanged,
)
from crm_interactions.handlers import fresh_access
from crm_interactions.store import access
from crm_interactions.store import timeline as store

SOURCE = "interactions"
TYPES = ("created", "edited", "classified", "assigned", "recalled", "potential", "contract_closed", "refused",
         "call_in", "call_out", "call_missed", "appointment", "note", "care", "support", "comment",
         "compensation", "imported")


def actor_of(envelope: Envelope) -> uuid.UUID | None:
    try:
        return uuid.UUID(envelope.actor)
    except ValueError:
        return None


async def record_from_event(conn: asyncpg.Connection, envelope: Envelope, *, type_: str,
                            note: str | None = None, data: dict[str, Any] | None = None,
                            customer_id: uuid.UUID | None = None) -> None:
    """One entry for the event's customer (its subject, unless given) and its `interaction.recorded`."""
    async with UnitOfWork.joining(conn, source=SOURCE) as uow:  # the consumer's transaction and message context
        row = await store.insert_entry(uow.conn, entry={
            "id": store.new_entry_id(), "customer_id": customer_id or uuid.UUID(envelope.subject), "type": type_,
            "occurred_at": envelope.occurred_at, "actor_id": actor_of(envelope), "note": note, "data": data or {},
            "source_event_id": envelope.id,
        })
        if row is not None:
            await uow.publish(events.InteractionRecorded(**dict(row)), subject=row["customer_id"])


async def keep_access(conn: asyncpg.Connection, customer: CustomerSeen) -> None:
    await access.upsert_access(
        conn, customer_id=customer.id, owner_id=customer.owner_id, owner_unit_path=customer.owner_unit_path,
        holder_id=customer.holder_id, viewer_ids=customer.viewer_ids, version=customer.version,
    )


async def on_customer_created(conn: asyncpg.Connection, envelope: Envelope, customer: CustomerSeen) -> None:
    await keep_access(conn, customer)
    await record_from_event(conn, envelope, type_="created", data={"name": customer.name})


# Changes an entry of their own shows (classified, assigned, recalled): the `edited` entry of the
# same change leaves them out, so one action of a user is one line of history.
SHOWN_ON_THEIR_OWN = frozenset({"status", "labels", "owner_id", "owner_unit_id", "owner_unit_path", "holder_id"})
# Owner changes that give the customer back (to the pool or the previous owner).
RETURNS = frozenset({"assignment.recalled", "assignment.declined", "assignment.expired"})


async def on_customer_updated(conn: asyncpg.Connection, envelope: Envelope, customer: CustomerSeen) -> None:
    """Keep who may see the customer current (newer versions win) and show the edit."""
    await keep_access(conn, customer)
    changed = [name for name in customer.changed if name not in SHOWN_ON_THEIR_OWN]
    if changed:
        await record_from_event(conn, envelope, type_="edited", data={"changed": changed})


async def on_customer_status_changed(conn: asyncpg.Connection, envelope: Envelope, change: StatusChanged) -> None:
    """A status update with a note (C-5) is a `classified` entry with from, to and the note."""
    await record_from_event(conn, envelope, type_="classified", note=change.note,
                            data={"from": change.from_, "to": change.to})


async def on_customer_labels_changed(conn: asyncpg.Connection, envelope: Envelope, change: LabelsChanged) -> None:
    """Labels added or removed in an edit: a `classified` entry shaped like a bulk label change's."""
    await record_from_event(conn, envelope, type_="classified",
                            data={"labels_added": change.added, "labels_removed": change.removed})


def owner_change_type(reason: str | None) -> str:
    return "recalled" if reason in RETURNS else "assigned"


async def on_customer_owner_changed(conn: asyncpg.Connection, envelope: Envelope, change: OwnerChanged) -> None:
    """Owner or holder moved, by an edit or an assignment (`reason` names the assignment event):
    `recalled` when the customer went back, `assigned` otherwise."""
    await record_from_event(conn, envelope, type_=owner_change_type(change.reason),
                            data=change.model_dump(mode="json"))


async def on_compensation_request(conn: asyncpg.Connection, envelope: Envelope, request: CompensationRequest) -> None:
    """A compensation request created or decided is a `compensation` entry on its customer (none without one)."""
    if request.customer_id is None:
        return
    data = request.model_dump(include={"request_id", "package_id", "batch_id", "reason_code", "decision"},
                              exclude_none=True)
    await record_from_event(conn, envelope, type_="compensation", note=request.note,
                            data={"stage": envelope.type.removeprefix("compensation.request_"), **data},
                            customer_id=request.customer_id)


async def read_timeline(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, limit: int,
                        cursor: str | None, types: list[str] | None) -> tuple[list[asyncpg.Record], str | None]:
    after = time_id_after(cursor)
    async with pool.acquire() as conn:
        if not await fresh_access.customer_visible(conn, principal, customer_id):
            raise NotFound()
        rows = await store.page(conn, customer_id=customer_id, limit=limit + 1, after=after, types=types)
    return page_of(rows, limit, lambda r: {"t": r["occurred_at"].isoformat(), "id": str(r["id"])})
