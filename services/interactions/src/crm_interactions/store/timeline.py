"""SQL for timeline entries (the customer-visibility read model is store/access.py)."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from crmkit.ids import new_id, new_ids

ENTRY_COLUMNS = "id, customer_id, type, occurred_at, actor_id, note, data"


# Entry ids are time-ordered (UUIDv7): new rows land at the right edge of the primary-key index
# instead of on random pages, which is what makes batch ingest fast (see docs/benchmarks.md).
new_entry_id = new_id


async def insert_entry(conn: asyncpg.Connection, *, entry: dict[str, Any]) -> asyncpg.Record | None:
    """Insert an entry unless its customer was purged (then None). Once per event: the caller runs
    inside the consumer's inbox transaction (or a use case of its own)."""
    return await conn.fetchrow(
        f"INSERT INTO timeline_entries ({ENTRY_COLUMNS}, source_event_id)"
        " SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS"
        "   (SELECT 1 FROM customer_access a WHERE a.customer_id = $2 AND a.purged)"
        f" RETURNING {ENTRY_COLUMNS}",
        entry["id"], entry["customer_id"], entry["type"], entry["occurred_at"], entry.get("actor_id"),
        entry.get("note"), entry.get("data") or {}, entry.get("source_event_id"),
    )


async def page(conn: asyncpg.Connection, *, customer_id: uuid.UUID, limit: int,
               after: tuple[datetime, uuid.UUID] | None, types: list[str] | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {ENTRY_COLUMNS} FROM timeline_entries WHERE customer_id = $1"
        " AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2, $3))"
        " AND ($4::text[] IS NULL OR type = ANY($4))"
        " ORDER BY occurred_at DESC, id DESC LIMIT $5",
        customer_id, after[0] if after else None, after[1] if after else None, types, limit,
    )


async def insert_entries(conn: asyncpg.Connection, *, type_: str, occurred_at: datetime, actor_id: uuid.UUID | None,
                         note: str | None, source_event_id: uuid.UUID,
                         per_customer: Sequence[tuple[uuid.UUID | str, dict[str, Any]]]) -> list[asyncpg.Record]:
    """The entries of one batch event, one per customer (`data` each), in bulk: COPY into a
    temporary table, then one INSERT that skips purged customers (a redelivered event never gets
    here: the consumer's inbox skips it in the same transaction). What the batch shares is sent
    once, as parameters. Returns (id, customer_id) of the entries written, as text (they go
    straight into an event)."""
    await conn.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS incoming_entries (id uuid, customer_id uuid, data text)"
        " ON COMMIT DELETE ROWS")
    ids = new_ids(len(per_customer))
    dumps = orjson.dumps
    # JSON as text: COPY's binary format has no jsonb encoder in asyncpg
    await conn.copy_records_to_table("incoming_entries", records=[
        (entry_id, customer_id, dumps(data).decode()) for entry_id, (customer_id, data) in zip(ids, per_customer)])
    return await conn.fetch(
        f"INSERT INTO timeline_entries ({ENTRY_COLUMNS}, source_event_id)"
        " SELECT id, customer_id, $1, $2, $3, $4, data::jsonb, $5"
        " FROM incoming_entries i WHERE NOT EXISTS"
        "   (SELECT 1 FROM customer_access a WHERE a.customer_id = i.customer_id AND a.purged)"
        " ORDER BY customer_id"  # index insertions in key order: fewer pages touched per batch
        " RETURNING id::text, customer_id::text",
        type_, occurred_at, actor_id, note, source_event_id)


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """A purge: the customers' entries keep their type and time, not what they said."""
    await conn.execute("UPDATE timeline_entries SET note = NULL, data = '{}', actor_id = NULL"
                       " WHERE customer_id = ANY($1::uuid[])", ids)
