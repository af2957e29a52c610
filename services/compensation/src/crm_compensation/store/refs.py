"""SQL of `customer_refs`: what the compensation service knows of each customer (owner, unit
path, name, phone, deleted, purged), kept from the customers service's events; newer versions win."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.access import within_subtree_sql

PURGED_VERSION = 2147483647  # a purged customer's ref never changes again

_UPSERT = (
    " ON CONFLICT (customer_id) DO UPDATE SET owner_id = EXCLUDED.owner_id,"
    " owner_unit_path = EXCLUDED.owner_unit_path, full_name = COALESCE(EXCLUDED.full_name, customer_refs.full_name),"
    " phone = COALESCE(EXCLUDED.phone, customer_refs.phone), version = EXCLUDED.version"
    " WHERE customer_refs.version < EXCLUDED.version")


async def upsert(conn: asyncpg.Connection, *, customer_id: uuid.UUID, owner_id: uuid.UUID | None,
                 owner_unit_path: str | None, full_name: str | None, phone: str | None, version: int) -> None:
    await conn.execute(
        "INSERT INTO customer_refs (customer_id, owner_id, owner_unit_path, full_name, phone, version)"
        " VALUES ($1, $2, $3, $4, $5, $6)" + _UPSERT,
        customer_id, owner_id, owner_unit_path, full_name, phone, version)


async def upsert_many(conn: asyncpg.Connection, *, rows: list[tuple[Any, Any, Any, Any, Any, int]]) -> None:
    """(customer id, owner id, owner unit path, full name, phone, version) of a batch event, by COPY;
    a NULL name or phone keeps the known one (an owner change does not name the customer)."""
    await conn.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS incoming_refs (customer_id uuid, owner_id uuid,"
        " owner_unit_path text, full_name text, phone text, version integer) ON COMMIT DELETE ROWS")
    await conn.copy_records_to_table("incoming_refs", records=rows)
    await conn.execute(
        "INSERT INTO customer_refs (customer_id, owner_id, owner_unit_path, full_name, phone, version)"
        " SELECT DISTINCT ON (customer_id) * FROM incoming_refs ORDER BY customer_id, version DESC" + _UPSERT)


async def mark_deleted(conn: asyncpg.Connection, *, ids: list[uuid.UUID], deleted: bool = True) -> None:
    await conn.execute("UPDATE customer_refs SET deleted = $2 WHERE customer_id = ANY($1::uuid[])", ids, deleted)


async def purge(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """C-10: the customers' name and phone are erased here, and from every request of theirs: the
    evidence's copy and the requester's free text (which may quote them), also as the history
    noted it. Only the ids remain."""
    await conn.execute(
        "INSERT INTO customer_refs (customer_id, deleted, purged, version)"
        " SELECT unnest($1::uuid[]), true, true, $2"
        " ON CONFLICT (customer_id) DO UPDATE SET deleted = true, purged = true, owner_id = NULL,"
        " full_name = NULL, phone = NULL, version = EXCLUDED.version", ids, PURGED_VERSION)
    await conn.execute(
        "UPDATE requests SET reason_text = NULL,"
        " evidence = jsonb_set(evidence, '{customer}', '{\"full_name\": null, \"phone\": null}'::jsonb)"
        " WHERE customer_id = ANY($1::uuid[])", ids)
    await conn.execute(  # the history's copies of the requester's text
        "UPDATE request_history h SET note = NULL FROM requests r WHERE h.request_id = r.id"
        " AND r.customer_id = ANY($1::uuid[]) AND h.action IN ('created', 'updated') AND h.note IS NOT NULL", ids)


async def get(conn: asyncpg.Connection, customer_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM customer_refs WHERE customer_id = $1", customer_id)


async def seen(conn: asyncpg.Connection, *, ids: list[uuid.UUID], user_id: uuid.UUID | None,
               subtree: str | None, everything: bool) -> list[uuid.UUID]:
    """The live customers of `ids` a caller sees as this service knows them: everything, or owned
    by `user_id`, or owned within the unit subtree `subtree`."""
    condition = "TRUE" if everything else (
        "(owner_id = $2" + (f" OR {within_subtree_sql('owner_unit_path', '$3')})" if subtree else ")"))
    args: list[Any] = [ids] + ([] if everything else [user_id] + ([subtree] if subtree else []))
    rows = await conn.fetch(
        f"SELECT customer_id FROM customer_refs WHERE customer_id = ANY($1::uuid[]) AND NOT deleted AND {condition}",
        *args)
    return [r["customer_id"] for r in rows]
