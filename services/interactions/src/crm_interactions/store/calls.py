"""SQL for call result sheets (I-2)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

COLUMNS = ("id, customer_id, direction, outcome, occurred_at, duration_seconds, rating, note, recording_ref,"
           " external_id, source, actor_id, entry_id, created_at")


async def customer_live(conn: asyncpg.Connection, customer_id: uuid.UUID) -> bool:
    """An integrator may log calls for any customer this service knows that is not deleted."""
    return bool(await conn.fetchval(
        "SELECT true FROM customer_access WHERE customer_id = $1 AND NOT deleted", customer_id))


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> dict[str, Any] | None:
    """None when this source already logged a call with that external id."""
    names = list(values)
    row = await conn.fetchrow(
        f"INSERT INTO calls ({', '.join(names)}) VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})"
        " ON CONFLICT (source, external_id) WHERE external_id IS NOT NULL DO NOTHING"
        f" RETURNING {COLUMNS}", *values.values())
    return dict(row) if row else None


async def by_external_id(conn: asyncpg.Connection, *, source: uuid.UUID, external_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM calls WHERE source = $1 AND external_id = $2",
                              source, external_id)
    return dict(row) if row else None


async def page(conn: asyncpg.Connection, *, customer_id: uuid.UUID, limit: int,
               after: tuple[datetime, uuid.UUID] | None, outcome: str | None, direction: str | None
               ) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM calls WHERE customer_id = $1"
        " AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2, $3))"
        " AND ($4::text IS NULL OR outcome = $4) AND ($5::text IS NULL OR direction = $5)"
        " ORDER BY occurred_at DESC, id DESC LIMIT $6",
        customer_id, after[0] if after else None, after[1] if after else None, outcome, direction, limit)
    return [dict(r) for r in rows]
