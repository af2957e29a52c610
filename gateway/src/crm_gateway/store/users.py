"""SQL of users (people and integrator service accounts)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeAlias

import asyncpg
from pydantic import BaseModel

from crm_gateway.domain.access import Reach
from crm_gateway.store.sql import Where, add_unit_reach, in_subtree_of_unit, like_escape

SELECT = (
    "SELECT u.id, u.username, u.full_name, u.email, u.phone, u.unit_id, n.path AS unit_path, u.roles,"
    " u.active, u.kind, u.password_hash, u.version, u.created_at,"
    " u.updated_at, u.deactivated_at FROM users u JOIN units n ON n.id = u.unit_id"
)
UPDATABLE = {"full_name", "email", "phone", "unit_id", "roles", "active", "password_hash", "deactivated_at"}
Conn: TypeAlias = asyncpg.Connection | asyncpg.Pool


async def get(conn: Conn, user_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE OF u" if for_update else ""
    return await conn.fetchrow(f"{SELECT} WHERE u.id = $1{lock}", user_id)


async def get_visible(conn: Conn, user_id: uuid.UUID, reach: Reach) -> asyncpg.Record | None:
    where = Where().add("u.id = {}", user_id)
    _add_reach(where, reach)
    return await conn.fetchrow(f"{SELECT}{where.sql()}", *where.args)


async def get_by_username(conn: Conn, username: str, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE OF u" if for_update else ""
    return await conn.fetchrow(f"{SELECT} WHERE lower(u.username) = lower($1){lock}", username)


async def any_active_admin(conn: Conn) -> bool:
    return await conn.fetchval("SELECT EXISTS (SELECT 1 FROM users WHERE active AND 'admin' = ANY(roles))")


async def other_active_admins(conn: Conn, user_id: uuid.UUID) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM users WHERE active AND 'admin' = ANY(roles) AND id <> $1", user_id)


async def insert(conn: Conn, *, user_id: uuid.UUID, username: str, full_name: str, email: str | None,
                 phone: str | None, unit_id: uuid.UUID, roles: list[str], kind: str,
                 password_hash: str | None) -> asyncpg.Record:
    await conn.execute(
        "INSERT INTO users (id, username, full_name, email, phone, unit_id, roles, kind, password_hash)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        user_id, username, full_name, email, phone, unit_id, roles, kind, password_hash)
    return await get(conn, user_id)


async def update(conn: Conn, user_id: uuid.UUID, changes: dict[str, Any]) -> asyncpg.Record:
    where = Where()
    sets = [f"{column} = {where.arg(value)}" for column, value in changes.items() if column in UPDATABLE]
    sets += ["version = version + 1", "updated_at = now()"]
    await conn.execute(f"UPDATE users SET {', '.join(sets)} WHERE id = {where.arg(user_id)}", *where.args)
    return await get(conn, user_id)


async def set_password_hash(conn: Conn, user_id: uuid.UUID, password_hash: str) -> None:
    """A rehash with the current argon2 parameters (not a change of password: no new version)."""
    await conn.execute("UPDATE users SET password_hash = $2 WHERE id = $1", user_id, password_hash)


async def list_page(conn: Conn, *, reach: Reach, unit_id: uuid.UUID | None, role: str | None,
                    active: bool | None, kind: str | None, q: str | None, after: UserPosition | None,
                    limit: int) -> list[asyncpg.Record]:
    where = Where()
    _add_reach(where, reach)
    if unit_id:
        where.conditions.append(in_subtree_of_unit("n.path", where.arg(unit_id)))
    if role:
        where.add("{} = ANY(u.roles)", role)
    if active is not None:
        where.add("u.active = {}", active)
    if kind:
        where.add("u.kind = {}", kind)
    if q:
        p = where.arg(f"%{like_escape(q)}%")
        where.conditions.append(
            f"(u.username ILIKE {p} OR u.full_name ILIKE {p} OR u.email ILIKE {p} OR u.phone ILIKE {p})")
    if after:
        where.add("(lower(u.username), u.id) > ({}, {})", after.u, after.id)
    return await conn.fetch(
        f"{SELECT}{where.sql()} ORDER BY lower(u.username), u.id LIMIT {where.arg(limit + 1)}", *where.args)


class UserPosition(BaseModel):
    """What a cursor of `list_page` holds (`cursor_of`)."""
    u: str
    id: uuid.UUID


def cursor_of(row: asyncpg.Record) -> dict[str, Any]:
    return {"u": row["username"].lower(), "id": str(row["id"])}


def _add_reach(where: Where, reach: Reach) -> None:
    if reach.scope == "self":
        where.add("u.id = {}", reach.user_id)
    else:
        add_unit_reach(where, reach, path_column="n.path", unit_column="u.unit_id")


async def changed_since(conn: Conn, since: datetime) -> list[tuple[uuid.UUID, datetime]]:
    """(user id, when it last changed) for users changed after `since`, their unit's moves and
    renames included (a token carries the unit's path)."""
    rows = await conn.fetch(
        "SELECT u.id, greatest(u.updated_at, un.updated_at) AS changed_at"
        " FROM users u JOIN units un ON un.id = u.unit_id WHERE u.updated_at > $1 OR un.updated_at > $1", since)
    return [(r["id"], r["changed_at"]) for r in rows]
