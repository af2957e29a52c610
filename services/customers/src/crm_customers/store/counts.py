"""SQL for the local read model of counts shown on a customer's detail (C-14)."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

COUNTS = ("timeline", "care_tickets", "open_support_tickets", "attachments", "comments")


async def get_counts(conn: asyncpg.Connection, customer_id: uuid.UUID) -> dict[str, int]:
    row = await conn.fetchrow(f"SELECT {', '.join(COUNTS)} FROM customer_counts WHERE customer_id = $1", customer_id)
    return dict(row) if row else dict.fromkeys(COUNTS, 0)


async def add(conn: asyncpg.Connection, customer_id: uuid.UUID, deltas: dict[str, int]) -> None:
    """Add to the counters of a customer; a counter never goes below zero."""
    deltas = {name: delta for name, delta in deltas.items() if delta}
    if not deltas:
        return
    names = list(deltas)
    if set(names) - set(COUNTS):
        raise ValueError(f"unknown counters {names}")
    values = ", ".join(f"GREATEST(${i}::int, 0)" for i in range(2, len(names) + 2))
    updates = ", ".join(f"{name} = GREATEST(customer_counts.{name} + ${i}::int, 0)"
                        for i, name in enumerate(names, start=2))
    await conn.execute(
        f"INSERT INTO customer_counts (customer_id, {', '.join(names)}) VALUES ($1, {values})"
        f" ON CONFLICT (customer_id) DO UPDATE SET {updates}, updated_at = now()",
        customer_id, *deltas.values(),
    )


async def lock_item(conn: asyncpg.Connection, kind: str, item_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT customer_id, open, deleted, changed_at FROM customer_count_items"
        " WHERE kind = $1 AND item_id = $2 FOR UPDATE", kind, item_id,
    )


async def insert_item(conn: asyncpg.Connection, *, kind: str, item_id: uuid.UUID, customer_id: uuid.UUID,
                      open: bool, deleted: bool, at: datetime) -> bool:
    return bool(await conn.fetchval(
        "INSERT INTO customer_count_items (kind, item_id, customer_id, open, deleted, changed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING true",
        kind, item_id, customer_id, open, deleted, at,
    ))


async def update_item(conn: asyncpg.Connection, *, kind: str, item_id: uuid.UUID, open: bool, deleted: bool,
                      at: datetime) -> None:
    await conn.execute(
        "UPDATE customer_count_items SET open = $3, deleted = $4, changed_at = GREATEST(changed_at, $5)"
        " WHERE kind = $1 AND item_id = $2", kind, item_id, open, deleted, at,
    )


async def add_timeline_entries(conn: asyncpg.Connection, customer_ids: list[uuid.UUID]) -> None:
    """One more timeline entry for each listed customer (a customer may be listed several times)."""
    await conn.execute(
        "INSERT INTO customer_counts (customer_id, timeline)"
        " SELECT customer_id, count(*) FROM unnest($1::uuid[]) AS e(customer_id) GROUP BY customer_id"
        " ON CONFLICT (customer_id) DO UPDATE SET timeline = customer_counts.timeline + EXCLUDED.timeline,"
        "   updated_at = now()", customer_ids,
    )
