"""SQL of `calls`: the call attempts counted from the interactions service's timeline (P-2)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg


async def add(conn: asyncpg.Connection, *, id_: uuid.UUID, customer_id: uuid.UUID, direction: str,
              outcome: str | None, occurred_at: datetime, actor_id: uuid.UUID | None) -> None:
    """One attempt; a redelivered event (the same id) is counted once."""
    await conn.execute(
        "INSERT INTO calls (id, customer_id, direction, outcome, occurred_at, actor_id)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        id_, customer_id, direction, outcome, occurred_at, actor_id)


async def summary(conn: asyncpg.Connection, *, customer_id: uuid.UUID, since: datetime) -> dict[str, Any]:
    """The attempts on the customer at or after `since`: their count, the count per outcome
    (`unknown` for a call typed in by hand) and the last one's time."""
    rows = await conn.fetch(
        "SELECT COALESCE(outcome, 'unknown') AS outcome, count(*) AS n, max(occurred_at) AS last"
        " FROM calls WHERE customer_id = $1 AND occurred_at >= $2 GROUP BY 1 ORDER BY 1", customer_id, since)
    return {"call_attempts": sum(r["n"] for r in rows),
            "calls_by_outcome": {r["outcome"]: r["n"] for r in rows},
            "last_call_at": max((r["last"] for r in rows), default=None)}
