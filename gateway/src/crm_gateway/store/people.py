"""SQL of the people directory: who is who, without anything sensitive."""
from __future__ import annotations

import uuid
from typing import Any, TypeAlias

import asyncpg
from pydantic import BaseModel

from crm_gateway.domain.people import ACCENTED, PLAIN, fold
from crm_gateway.store.sql import Where, in_subtree_of_unit, like_escape

Conn: TypeAlias = asyncpg.Connection | asyncpg.Pool
SELECT = ("SELECT u.id, u.username, u.full_name, u.unit_id, n.name AS unit_name, u.active, u.kind"
          " FROM users u JOIN units n ON n.id = u.unit_id")


class PersonPosition(BaseModel):
    """What a cursor of `page` holds (`cursor_of`)."""
    u: str
    id: uuid.UUID


async def get(conn: Conn, user_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"{SELECT} WHERE u.id = $1", user_id)


async def page(conn: Conn, *, q: str | None, unit_id: uuid.UUID | None, active: bool | None, kind: str | None,
               after: PersonPosition | None, limit: int, ids: list[uuid.UUID] | None = None) -> list[asyncpg.Record]:
    where = Where()
    if ids:
        where.add("u.id = ANY({}::uuid[])", ids)
    if q and fold(q).strip():
        pattern, accented, plain = where.arg(f"%{like_escape(fold(q).strip())}%"), where.arg(ACCENTED), where.arg(PLAIN)
        folded = [f"translate(lower(normalize({column}, NFC)), {accented}, {plain})"
                  for column in ("u.username", "u.full_name")]
        where.conditions.append(f"({folded[0]} LIKE {pattern} OR {folded[1]} LIKE {pattern})")
    if unit_id:
        where.conditions.append(in_subtree_of_unit("n.path", where.arg(unit_id)))
    if active is not None:
        where.add("u.active = {}", active)
    if kind:
        where.add("u.kind = {}", kind)
    if after:
        where.add("(lower(u.username), u.id) > ({}, {})", after.u, after.id)
    return await conn.fetch(
        f"{SELECT}{where.sql()} ORDER BY lower(u.username), u.id LIMIT {where.arg(limit + 1)}", *where.args)


def cursor_of(row: asyncpg.Record) -> dict[str, Any]:
    return {"u": row["username"].lower(), "id": str(row["id"])}
