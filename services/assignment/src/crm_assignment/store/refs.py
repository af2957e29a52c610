"""SQL of `customer_refs`: what the assignment service knows of each customer (owner, unit path,
holder, deleted), kept from the customers service's events; newer versions win."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

_UPSERT = (
    " ON CONFLICT (customer_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, owner_unit_id = EXCLUDED.owner_unit_id,"
    " owner_unit_path = EXCLUDED.owner_unit_path, holder_id = EXCLUDED.holder_id, version = EXCLUDED.version"
    " WHERE customer_refs.version < EXCLUDED.version")


async def upsert(conn: asyncpg.Connection, *, customer_id: uuid.UUID, owner_id: uuid.UUID | None,
                 owner_unit_id: uuid.UUID | None, owner_unit_path: str | None, holder_id: uuid.UUID | None,
                 version: int) -> None:
    await conn.execute(
        "INSERT INTO customer_refs (customer_id, owner_id, owner_unit_id, owner_unit_path, holder_id, version)"
        " VALUES ($1, $2, $3, $4, $5, $6)" + _UPSERT,
        customer_id, owner_id, owner_unit_id, owner_unit_path, holder_id, version)


async def upsert_many(conn: asyncpg.Connection, *, rows: list[tuple[Any, Any, Any, Any, Any, int]],
                      keep_holder: bool = False) -> None:
    """(customer id, owner id, owner unit id, owner unit path, holder id, version) of a batch
    event, by COPY;
    `keep_holder`: the event does not say who holds them (an import), so that stays."""
    await conn.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS incoming_refs (customer_id uuid, owner_id uuid, owner_unit_id uuid,"
        " owner_unit_path text, holder_id uuid, version integer) ON COMMIT DELETE ROWS")
    await conn.copy_records_to_table("incoming_refs", records=rows)
    await conn.execute(
        "INSERT INTO customer_refs (customer_id, owner_id, owner_unit_id, owner_unit_path, holder_id, version)"
        " SELECT * FROM incoming_refs ORDER BY customer_id" + (_UPSERT.replace(
            "holder_id = EXCLUDED.holder_id", "holder_id = customer_refs.holder_id") if keep_holder else _UPSERT))


async def mark_deleted(conn: asyncpg.Connection, *, ids: list[uuid.UUID], deleted: bool = True) -> None:
    await conn.execute("UPDATE customer_refs SET deleted = $2 WHERE customer_id = ANY($1::uuid[])", ids, deleted)


async def forget(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """A purge: nothing personal is kept here, but the customer is gone for good."""
    await conn.execute("UPDATE customer_refs SET deleted = true, owner_id = NULL, holder_id = NULL,"
                       " version = 2147483647 WHERE customer_id = ANY($1::uuid[])", ids)


async def live(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    """The refs of the live (known, not deleted) customers among `ids`."""
    return await conn.fetch(
        "SELECT customer_id, owner_id, owner_unit_id, owner_unit_path, holder_id FROM customer_refs"
        " WHERE customer_id = ANY($1::uuid[]) AND NOT deleted", ids)
