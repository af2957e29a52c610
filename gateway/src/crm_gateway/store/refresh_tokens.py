"""SQL of refresh tokens: one family per login, rotated on every refresh."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypeAlias

import asyncpg

Conn: TypeAlias = asyncpg.Connection | asyncpg.Pool
COLUMNS = "id, family_id, user_id, created_at, expires_at, rotated_at, revoked_at"


async def insert(conn: Conn, *, family_id: uuid.UUID, user_id: uuid.UUID, token_hash: bytes,
                 expires_at: datetime, user_agent: str | None, ip: str | None) -> uuid.UUID:
    token_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, user_agent, ip)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        token_id, family_id, user_id, token_hash, expires_at, (user_agent or "")[:300] or None, ip)
    return token_id


async def get_for_update(conn: Conn, token_hash: bytes) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE", token_hash)


async def mark_rotated(conn: Conn, token_id: uuid.UUID) -> None:
    await conn.execute("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1", token_id)


async def revoke_family(conn: Conn, family_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL", family_id)


async def revoke_user(conn: Conn, user_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", user_id)


async def purge_expired(conn: Conn, *, older_than_days: int = 7) -> None:
    await conn.execute(
        "DELETE FROM refresh_tokens WHERE expires_at < now() - make_interval(days => $1)", older_than_days)
