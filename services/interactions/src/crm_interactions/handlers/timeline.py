"""Timeline use cases: entries caused by other services' events, and reading a customer's history."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from crmkit import outbox
from crmkit.auth import Principal
from crmkit.errors import ProblemError
from crmkit.events import Envelope
from crmkit.pagination import decode_cursor, page_of
from crm_interactions import events
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
                            note: str | None = None, data: dict | None = None) -> None:
    row = await store.insert_entry(conn, entry={
        "id": store.new_entry_id(), "customer_id": uuid.UUID(envelope.subject), "type": type_,
        "occurred_at": envelope.occurred_at, "actor_id": actor_of(envelope), "note": note, "data": data or {},
        "source_event_id": envelope.id,
    })
    if row is not None:
        await outbox.publish(conn, events.InteractionRecorded(**dict(row)), source=SOURCE,
                             subject=row["customer_id"], actor=envelope.actor,
                             correlation_id=envelope.correlation_id, causation_id=str(envelope.id))


async def keep_access(conn: asyncpg.Connection, customer: dict) -> None:
    await store.upsert_access(
        conn, customer_id=uuid.UUID(customer["id"]), owner_id=_uuid(customer.get("owner_id")),
        owner_unit_path=customer.get("owner_unit_path"), holder_id=_uuid(customer.get("holder_id")),
        viewer_ids=[uuid.UUID(v) for v in customer.get("viewer_ids") or []], version=customer["version"],
    )


async def on_customer_created(conn: asyncpg.Connection, envelope: Envelope) -> None:
    customer = envelope.data
    await keep_access(conn, customer)
    await record_from_event(conn, envelope, type_="created", data={"name": customer["name"]})


async def on_customer_updated(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Keep who may see the customer current (newer versions win) and show the edit."""
    customer = envelope.data
    await keep_access(conn, customer)
    await record_from_event(conn, envelope, type_="edited", data={"changed": list(customer.get("changed") or [])})


async def on_customer_status_changed(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """A status update with a note (C-5) is a `classified` entry with from, to and the note."""
    change = envelope.data
    await record_from_event(conn, envelope, type_="classified", note=change.get("note"),
                            data={"from": change.get("from"), "to": change.get("to")})


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


async def read_timeline(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, limit: int,
                        cursor: str | None, types: list[str] | None) -> tuple[list[asyncpg.Record], str | None]:
    position = decode_cursor(cursor)
    after = (datetime.fromisoformat(position["t"]), uuid.UUID(position["id"])) if position else None
    async with pool.acquire() as conn:
        visible = await store.customer_visible(
            conn, customer_id=customer_id, user_id=principal.user_id, is_admin=principal.is_admin,
            is_manager=principal.is_manager, unit_path=principal.unit_path,
        )
        if not visible:
            raise ProblemError(404, "not_found")
        rows = await store.page(conn, customer_id=customer_id, limit=limit + 1, after=after, types=types)
    return page_of(rows, limit, lambda r: {"t": r["occurred_at"].isoformat(), "id": str(r["id"])})
