"""SQL for each user's notifications (I-9). Every query is bound to one user: nobody reads or
marks another user's notifications. An insert wakes the SSE streams through the
`crm_notifications` channel (trigger of migration 0004)."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

CHANNEL = "crm_notifications"
COLUMNS = "id, user_id, type, important, title, body, data, created_at, read_at"


async def insert(conn: asyncpg.Connection, *, user_id: uuid.UUID, type_: str, important: bool, title: str,
                 body: str | None, data: dict[str, Any]) -> dict[str, Any]:
    row = await conn.fetchrow(
        "INSERT INTO notifications (user_id, type, important, title, body, data) VALUES ($1, $2, $3, $4, $5, $6)"
        f" RETURNING {COLUMNS}", user_id, type_, important, title, body, data)
    return dict(row)


async def page(conn: asyncpg.Connection, *, user_id: uuid.UUID, important: bool | None, unread: bool | None,
               before_id: int | None, limit: int) -> list[dict[str, Any]]:
    """Newest first by id, keyset before `before_id`."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM notifications WHERE user_id = $1"
        " AND ($2::boolean IS NULL OR important = $2)"
        " AND ($3::boolean IS NULL OR (read_at IS NULL) = $3)"
        " AND ($4::bigint IS NULL OR id < $4)"
        " ORDER BY id DESC LIMIT $5", user_id, important, unread, before_id, limit)
    return [dict(r) for r in rows]


async def after(conn: asyncpg.Connection, *, user_id: uuid.UUID, after_id: int, limit: int = 500
                ) -> list[dict[str, Any]]:
    """The user's notifications newer than `after_id`, oldest first (stream resumption)."""
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND id > $2"
                            " ORDER BY id LIMIT $3", user_id, after_id, limit)
    return [dict(r) for r in rows]


async def unread_count(conn: asyncpg.Connection, *, user_id: uuid.UUID, important: bool | None = None) -> int:
    return await conn.fetchval("SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL"
                               " AND ($2::boolean IS NULL OR important = $2)", user_id, important)


async def mark_read(conn: asyncpg.Connection, *, user_id: uuid.UUID, notification_id: int) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        "UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2"
        f" RETURNING {COLUMNS}", notification_id, user_id)
    return dict(row) if row else None


async def mark_all_read(conn: asyncpg.Connection, *, user_id: uuid.UUID) -> int:
    status = await conn.execute("UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL",
                                user_id)
    return int(status.split()[-1])


async def last_id(conn: asyncpg.Connection, *, user_id: uuid.UUID) -> int:
    return await conn.fetchval("SELECT COALESCE(max(id), 0) FROM notifications WHERE user_id = $1", user_id)


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """A purge: notifications about the customers lose their body (it quotes the comment)."""
    await conn.execute("UPDATE notifications SET body = NULL WHERE data->>'customer_id' = ANY($1::text[])",
                       [str(i) for i in ids])


# The open streams of a user, counted across every process of the service: each holds a session
# advisory lock (one of the user's `max_streams_per_user` slot keys) on its process's listener
# connection, so a process that dies frees its slots with its session.
async def try_advisory_lock(conn: asyncpg.Connection, key: int) -> bool:
    return bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", key))


async def advisory_unlock(conn: asyncpg.Connection, key: int) -> None:
    await conn.execute("SELECT pg_advisory_unlock($1)", key)


async def advisory_locks_held(conn: asyncpg.Connection, keys: list[int]) -> int:
    """How many of these bigint advisory keys some session of this database holds (pg_locks shows a
    bigint key as its high and low 32 bits, `classid` and `objid`, with `objsubid` 1)."""
    return await conn.fetchval(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND (classid::bigint, objid::bigint) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))",
        [(k & 0xFFFFFFFFFFFFFFFF) >> 32 for k in keys], [k & 0xFFFFFFFF for k in keys])
