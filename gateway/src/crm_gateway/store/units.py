"""SQL of the organisation tree."""
from __future__ import annotations

import uuid
from typing import Any, TypeAlias

import asyncpg
from pydantic import BaseModel, Field

from crmkit.access import within_subtree_sql

from crm_gateway.domain.access import Reach
from crm_gateway.store.sql import Where, add_unit_reach, in_subtree_of_unit, like_escape

COLUMNS = "id, name, kind, parent_id, path, depth, version, created_at, updated_at"
Conn: TypeAlias = asyncpg.Connection | asyncpg.Pool


async def get(conn: Conn, unit_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM units WHERE id = $1{lock}", unit_id)


async def get_visible(conn: Conn, unit_id: uuid.UUID, reach: Reach) -> asyncpg.Record | None:
    where = Where().add("id = {}", unit_id)
    add_unit_reach(where, reach, path_column="path", unit_column="id")
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM units{where.sql()}", *where.args)


async def get_root(conn: Conn) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM units WHERE parent_id IS NULL")


async def find_child(conn: Conn, parent_id: uuid.UUID, name: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM units WHERE parent_id = $1 AND lower(name) = lower($2)", parent_id, name)


async def child_kinds(conn: Conn, unit_id: uuid.UUID) -> list[str]:
    rows = await conn.fetch("SELECT DISTINCT kind FROM units WHERE parent_id = $1", unit_id)
    return [r["kind"] for r in rows]


async def insert(conn: Conn, *, unit_id: uuid.UUID, name: str, kind: str, parent_id: uuid.UUID | None,
                 path: str, depth: int) -> asyncpg.Record:
    return await conn.fetchrow(
        f"INSERT INTO units (id, name, kind, parent_id, path, depth) VALUES ($1, $2, $3, $4, $5, $6)"
        f" RETURNING {COLUMNS}", unit_id, name, kind, parent_id, path, depth)


async def update(conn: Conn, unit_id: uuid.UUID, changes: dict[str, Any]) -> asyncpg.Record:
    """Name, kind or parent of one unit (the subtree's paths move with `move_subtree`)."""
    allowed = {"name", "kind", "parent_id"}
    where = Where()
    sets = [f"{column} = {where.arg(value)}" for column, value in changes.items() if column in allowed]
    sets += ["version = version + 1", "updated_at = now()"]
    return await conn.fetchrow(
        f"UPDATE units SET {', '.join(sets)} WHERE id = {where.arg(unit_id)} RETURNING {COLUMNS}", *where.args)


async def move_subtree(conn: Conn, *, old_path: str, new_path: str, moved_root: uuid.UUID) -> list[asyncpg.Record]:
    """Rewrite the path prefix of a whole subtree in one statement; returns every moved unit.

    The moved root's version was already bumped by `update` (its parent changed)."""
    cols = ", ".join(f"units.{c.strip()}" for c in COLUMNS.split(","))
    return await conn.fetch(
        "UPDATE units SET path = moved.new_path,"
        "  depth = length(moved.new_path) - length(replace(moved.new_path, '/', '')) - 2,"
        "  version = units.version + CASE WHEN units.id = $3 THEN 0 ELSE 1 END, updated_at = now()"
        " FROM (SELECT id, $2 || substr(path, length($1) + 1) AS new_path FROM units"
        f"   WHERE {within_subtree_sql('path', '$1')}) moved"
        f" WHERE units.id = moved.id RETURNING {cols}",
        old_path, new_path, moved_root)


async def list_page(conn: Conn, *, reach: Reach, kind: str | None, parent_id: uuid.UUID | None,
                    under: uuid.UUID | None, q: str | None, after: UnitPosition | None,
                    limit: int) -> list[asyncpg.Record]:
    where = Where()
    add_unit_reach(where, reach, path_column="path", unit_column="id")
    if kind:
        where.add("kind = {}", kind)
    if parent_id:
        where.add("parent_id = {}", parent_id)
    if under:
        where.conditions.append(in_subtree_of_unit("path", where.arg(under)))
    if q:
        where.add("name ILIKE {}", f"%{like_escape(q)}%")
    if after:
        where.add("(depth, lower(name), id) > ({}, {}, {})", after.d, after.n, after.id)
    return await conn.fetch(
        f"SELECT {COLUMNS}, lower(name) AS name_key FROM units{where.sql()}"
        f" ORDER BY depth, lower(name), id LIMIT {where.arg(limit + 1)}", *where.args)


class UnitPosition(BaseModel):
    """What a cursor of `list_page` holds (`cursor_of`)."""
    d: int = Field(ge=0, lt=2**31)
    n: str
    id: uuid.UUID


def cursor_of(row: asyncpg.Record) -> dict[str, Any]:
    return {"d": row["depth"], "n": row["name_key"], "id": str(row["id"])}
