"""SQL of the login back-off (login_failures) and the login audit (login_audit)."""
from __future__ import annotations

import uuid
from typing import TypeAlias

import asyncpg

from crm_gateway.store.sql import Where

Conn: TypeAlias = asyncpg.Connection | asyncpg.Pool
FAILURE_COLUMNS = "client, failures, blocked_until, last_failure_at"
AUDIT_COLUMNS = "id, at, username, user_id, client, user_agent, outcome"


async def seconds_blocked(conn: Conn, username: str, client: str) -> int:
    """The seconds this (username, client) pair still waits (0: may try)."""
    return await conn.fetchval(
        "SELECT coalesce(max(ceil(extract(epoch FROM blocked_until - now()))), 0)::int FROM login_failures"
        " WHERE username = lower($1) AND client = $2 AND blocked_until > now()", username, client)


async def count_failure(conn: Conn, username: str, client: str, *, forget_seconds: int) -> int:
    """One more consecutive failure of the pair (the count restarts after `forget_seconds` idle)."""
    return await conn.fetchval(
        "INSERT INTO login_failures AS f (username, client, failures) VALUES (lower($1), $2, 1)"
        " ON CONFLICT (username, client) DO UPDATE SET last_failure_at = now(), failures ="
        " CASE WHEN f.last_failure_at < now() - make_interval(secs => $3) THEN 1 ELSE f.failures + 1 END"
        " RETURNING failures", username, client, forget_seconds)


async def recent_failures(conn: Conn, username: str, *, within_seconds: int, at_most: int) -> int:
    """Failed logins of `username` (known or not) from any client in the last `within_seconds`,
    counted up to `at_most` (the audit's newest rows of that username first)."""
    return await conn.fetchval(
        "SELECT count(*) FROM (SELECT 1 FROM login_audit WHERE lower(username) = lower($1)"
        " AND at > now() - make_interval(secs => $2) AND outcome NOT IN ('success', 'blocked')"
        " ORDER BY id DESC LIMIT $3) recent", username, within_seconds, at_most)


async def block(conn: Conn, username: str, client: str, seconds: int) -> None:
    await conn.execute(
        "UPDATE login_failures SET blocked_until = now() + make_interval(secs => $3)"
        " WHERE username = lower($1) AND client = $2", username, client, seconds)


async def forget_pair(conn: Conn, username: str, client: str) -> None:
    await conn.execute("DELETE FROM login_failures WHERE username = lower($1) AND client = $2", username, client)


async def forget_username(conn: Conn, username: str) -> int:
    result = await conn.execute("DELETE FROM login_failures WHERE username = lower($1)", username)
    return int(result.split()[-1])


async def failures_of(conn: Conn, username: str, *, limit: int = 100) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {FAILURE_COLUMNS} FROM login_failures WHERE username = lower($1)"
        " ORDER BY last_failure_at DESC LIMIT $2", username, limit)


async def audit(conn: Conn, *, username: str, user_id: uuid.UUID | None, client: str, user_agent: str | None,
                outcome: str) -> None:
    await conn.execute(
        "INSERT INTO login_audit (username, user_id, client, user_agent, outcome) VALUES ($1, $2, $3, $4, $5)",
        username, user_id, client, (user_agent or "")[:300] or None, outcome)


async def audit_page(conn: Conn, *, user_id: uuid.UUID | None, username: str | None, client: str | None,
                     outcome: str | None, before_id: int | None, limit: int) -> list[asyncpg.Record]:
    """Newest first."""
    where = Where()
    if user_id:
        where.add("user_id = {}", user_id)
    if username:
        where.add("lower(username) = lower({})", username)
    if client:
        where.add("client = {}", client)
    if outcome:
        where.add("outcome = {}", outcome)
    if before_id is not None:
        where.add("id < {}", before_id)
    return await conn.fetch(
        f"SELECT {AUDIT_COLUMNS} FROM login_audit{where.sql()} ORDER BY id DESC LIMIT {where.arg(limit + 1)}",
        *where.args)


async def purge(conn: Conn, *, forget_seconds: int, max_failure_rows: int, audit_days: int,
                max_audit_rows: int) -> None:
    """Bound both tables: idle failures and old audit rows go, then whatever exceeds the caps (the
    oldest first)."""
    await conn.execute("DELETE FROM login_failures WHERE last_failure_at < now() - make_interval(secs => $1)"
                       " AND (blocked_until IS NULL OR blocked_until < now())", forget_seconds)
    await conn.execute(
        "DELETE FROM login_failures WHERE (username, client) IN (SELECT username, client FROM login_failures"
        " ORDER BY last_failure_at DESC OFFSET $1)", max_failure_rows)
    await conn.execute("DELETE FROM login_audit WHERE at < now() - make_interval(days => $1)", audit_days)
    await conn.execute(
        "DELETE FROM login_audit WHERE id <= (SELECT id FROM login_audit ORDER BY id DESC OFFSET $1 LIMIT 1)",
        max_audit_rows)
