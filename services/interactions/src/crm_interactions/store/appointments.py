"""SQL for appointments (I-8) and calendar feeds. Access arguments are $2..$5 as for tickets
(see `access.access_args`): an appointment is visible to admins, its assignee, its creator and
managers whose subtree holds the assignee's unit; one linked to a customer also needs that
customer there, and visible (`VISIBLE` of the timeline) unless the caller is the assignee."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal

from crm_interactions.store import access
from crm_interactions.store.access import VISIBLE, access_args, manager_above

FROM = ("FROM appointments t LEFT JOIN customer_access a ON a.customer_id = t.customer_id"
        " LEFT JOIN directory_users u ON u.id = t.assignee_id")
LIVE = "t.deleted_at IS NULL"
REACH = f"($2 OR t.assignee_id = $3 OR t.created_by = $3 OR {manager_above('u.unit_path')})"
CUSTOMER = ("(t.customer_id IS NULL OR (a.customer_id IS NOT NULL AND NOT a.deleted"
            f" AND (t.assignee_id = $3 OR {VISIBLE})))")


async def get_visible(conn: asyncpg.Connection, *, appointment_id: uuid.UUID, principal: Principal,
                      lock: bool = False) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        f"SELECT t.* {FROM} WHERE t.id = $1 AND {LIVE} AND {REACH} AND {CUSTOMER}"
        f"{' FOR UPDATE OF t' if lock else ''}", appointment_id, *access_args(principal))
    return dict(row) if row is not None else None


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> dict[str, Any]:
    names = list(values)
    row = await conn.fetchrow(
        f"INSERT INTO appointments ({', '.join(names)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) RETURNING *", *values.values())
    return dict(row)


async def update(conn: asyncpg.Connection, *, appointment_id: uuid.UUID, values: dict[str, Any]) -> dict[str, Any]:
    """Set `values` (column names come from code, never from input), version + 1."""
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(values, start=2))
    row = await conn.fetchrow(
        f"UPDATE appointments SET {sets + ', ' if sets else ''}version = version + 1, updated_at = now()"
        " WHERE id = $1 RETURNING *", appointment_id, *values.values())
    return dict(row)


class Query(access.Query):
    """WHERE clauses and arguments of a list query; $1 is the page size, $2..$5 the caller's reach."""

    BASE_CLAUSES = (LIVE, REACH, CUSTOMER)


async def page(conn: asyncpg.Connection, query: Query, *, limit: int,
               after: tuple[datetime, uuid.UUID] | None) -> list[dict[str, Any]]:
    """Soonest first by (starts_at, id), keyset after `after`; LIMIT `limit`."""
    if after is not None:
        query.where(f"(t.starts_at, t.id) > ({query.add(after[0])}::timestamptz, {query.add(after[1])}::uuid)")
    query.args[0] = limit
    rows = await conn.fetch(
        f"SELECT t.* {FROM} WHERE {' AND '.join(query.clauses)} ORDER BY t.starts_at, t.id LIMIT $1", *query.args)
    return [dict(r) for r in rows]


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    await conn.execute("UPDATE appointments SET title = '', note = NULL, location = NULL"
                       " WHERE customer_id = ANY($1::uuid[])", ids)


# Calendar feeds: one token hash per user.

async def set_feed(conn: asyncpg.Connection, *, user_id: uuid.UUID, token_hash: bytes) -> None:
    await conn.execute(
        "INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)"
        " ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()",
        user_id, token_hash)


async def delete_feed(conn: asyncpg.Connection, *, user_id: uuid.UUID) -> bool:
    return await conn.execute("DELETE FROM calendar_feeds WHERE user_id = $1", user_id) != "DELETE 0"


async def feed_owner(conn: asyncpg.Connection, *, token_hash: bytes) -> uuid.UUID | None:
    """The feed's user, unless the directory says that user was deactivated (their feed stops)."""
    return await conn.fetchval(
        "SELECT f.user_id FROM calendar_feeds f WHERE f.token_hash = $1 AND NOT EXISTS"
        " (SELECT 1 FROM directory_users u WHERE u.id = f.user_id AND NOT u.active)", token_hash)


async def feed_appointments(conn: asyncpg.Connection, *, user_id: uuid.UUID, start: datetime,
                            end: datetime) -> list[asyncpg.Record]:
    """The user's live, not cancelled appointments starting in [start, end); one linked to a
    customer only while that customer is still there (not deleted or purged)."""
    return await conn.fetch(
        "SELECT t.* FROM appointments t LEFT JOIN customer_access a ON a.customer_id = t.customer_id"
        " WHERE t.assignee_id = $1 AND t.deleted_at IS NULL AND t.status <> 'cancelled'"
        "   AND t.starts_at >= $2 AND t.starts_at < $3"
        "   AND (t.customer_id IS NULL OR (a.customer_id IS NOT NULL AND NOT a.deleted))"
        " ORDER BY t.starts_at, t.id", user_id, start, end)


async def feed_care_tickets(conn: asyncpg.Connection, *, user_id: uuid.UUID, start: datetime,
                            end: datetime) -> list[asyncpg.Record]:
    """Planned care tickets assigned to the user in [start, end), of customers still there."""
    return await conn.fetch(
        "SELECT t.id, t.customer_id, t.method, t.planned_at, t.note, t.version, t.updated_at"
        " FROM care_tickets t JOIN customer_access a ON a.customer_id = t.customer_id"
        " WHERE t.assignee_id = $1 AND t.status = 'planned' AND t.deleted_at IS NULL AND NOT a.deleted"
        "   AND t.planned_at >= $2 AND t.planned_at < $3"
        " ORDER BY t.planned_at, t.id", user_id, start, end)
