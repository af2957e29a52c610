"""SQL of integrator API keys (only the sha256 of a key is stored)."""
from __future__ import annotations

import uuid
from typing import Any, TypeAlias

import asyncpg

from crmkit.pagination import TimeId

Conn: TypeAlias = asyncpg.Connection | asyncpg.Pool
COLUMNS = ("k.id, k.name, k.prefix, k.user_id, k.permissions, k.rate_limit_per_minute, k.created_by,"
           " k.created_at, k.last_used_at, k.revoked_at")


async def insert(conn: Conn, *, key_id: uuid.UUID, name: str, prefix: str, secret_hash: bytes,
                 user_id: uuid.UUID, permissions: list[str], rate_limit_per_minute: int | None,
                 created_by: uuid.UUID | None) -> asyncpg.Record:
    await conn.execute(
        "INSERT INTO api_keys (id, name, prefix, secret_hash, user_id, permissions, rate_limit_per_minute,"
        " created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        key_id, name, prefix, secret_hash, user_id, permissions, rate_limit_per_minute, created_by)
    return await get(conn, key_id)


async def get(conn: Conn, key_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM api_keys k WHERE k.id = $1", key_id)


async def get_active_by_hash(conn: Conn, secret_hash: bytes) -> asyncpg.Record | None:
    """The key with its service account, or None when unknown, revoked or the account is inactive."""
    return await conn.fetchrow(
        f"SELECT {COLUMNS}, u.username, u.unit_id, n.path AS unit_path, u.roles FROM api_keys k"
        " JOIN users u ON u.id = k.user_id JOIN units n ON n.id = u.unit_id"
        " WHERE k.secret_hash = $1 AND k.revoked_at IS NULL AND u.active", secret_hash)


async def touch(conn: Conn, key_id: uuid.UUID) -> None:
    await conn.execute("UPDATE api_keys SET last_used_at = now() WHERE id = $1", key_id)


async def revoke(conn: Conn, key_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"UPDATE api_keys k SET revoked_at = coalesce(k.revoked_at, now()) WHERE k.id = $1 RETURNING {COLUMNS}",
        key_id)


async def active_for_user(conn: Conn, user_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {COLUMNS} FROM api_keys k WHERE k.user_id = $1 AND k.revoked_at IS NULL", user_id)


async def list_page(conn: Conn, *, include_revoked: bool, after: TimeId | None, limit: int) -> list[asyncpg.Record]:
    conditions, args = [], []
    if not include_revoked:
        conditions.append("k.revoked_at IS NULL")
    if after:
        args += [after.t, after.id]
        conditions.append("(k.created_at, k.id) < ($1, $2)")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    args.append(limit + 1)
    return await conn.fetch(
        f"SELECT {COLUMNS} FROM api_keys k{where} ORDER BY k.created_at DESC, k.id DESC LIMIT ${len(args)}", *args)


def cursor_of(row: asyncpg.Record) -> dict[str, Any]:
    return {"t": row["created_at"].isoformat(), "id": str(row["id"])}
