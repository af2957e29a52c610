"""SQL of `customer_refs`: what the assignment service knows of each customer (owner, unit path,
holder, province, deleted), kept from the customers service's events; newer versions win."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

COLUMNS = ("customer_id", "owner_id", "owner_unit_id", "owner_unit_path", "holder_id", "province_code", "version")


def _upsert(*, keep: tuple[str, ...] = ()) -> str:
    """ON CONFLICT: the newer version's values, except the columns in `keep` (the event does not
    say them: they stay)."""
    updated = ", ".join(f"{c} = {'customer_refs' if c in keep else 'EXCLUDED'}.{c}" for c in COLUMNS[1:])
    return f" ON CONFLICT (customer_id) DO UPDATE SET {updated} WHERE customer_refs.version < EXCLUDED.version"


async def upsert(conn: asyncpg.Connection, *, customer_id: uuid.UUID, owner_id: uuid.UUID | None,
                 owner_unit_id: uuid.UUID | None, owner_unit_path: str | None, holder_id: uuid.UUID | None,
                 province_code: int | None, version: int) -> None:
    await conn.execute(
        f"INSERT INTO customer_refs ({', '.join(COLUMNS)}) VALUES ($1, $2, $3, $4, $5, $6, $7)" + _upsert(),
        customer_id, owner_id, owner_unit_id, owner_unit_path, holder_id, province_code, version)


async def upsert_many(conn: asyncpg.Connection, *, rows: list[tuple[Any, Any, Any, Any, Any, Any, int]],
                      keep_holder: bool = False, keep_province: bool = False) -> None:
    """(customer id, owner id, owner unit id, owner unit path, holder id, province code, version)
    of a batch event, by COPY; `keep_holder` / `keep_province`: the event does not say who holds
    them (an import) or where they live (an owner change), so that stays."""
    await conn.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS incoming_refs (customer_id uuid, owner_id uuid, owner_unit_id uuid,"
        " owner_unit_path text, holder_id uuid, province_code integer, version integer) ON COMMIT DELETE ROWS")
    await conn.copy_records_to_table("incoming_refs", records=rows)
    keep = (("holder_id",) if keep_holder else ()) + (("province_code",) if keep_province else ())
    await conn.execute(f"INSERT INTO customer_refs ({', '.join(COLUMNS)})"
                       " SELECT * FROM incoming_refs ORDER BY customer_id" + _upsert(keep=keep))


async def mark_deleted(conn: asyncpg.Connection, *, ids: list[uuid.UUID], deleted: bool = True) -> None:
    await conn.execute("UPDATE customer_refs SET deleted = $2 WHERE customer_id = ANY($1::uuid[])", ids, deleted)


async def forget(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """A purge: nothing personal is kept here, but the customer is gone for good."""
    await conn.execute("UPDATE customer_refs SET deleted = true, owner_id = NULL, holder_id = NULL,"
                       " province_code = NULL, version = 2147483647 WHERE customer_id = ANY($1::uuid[])", ids)


async def live(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    """The refs of the live (known, not deleted) customers among `ids`."""
    # a join, not `customer_id = ANY($1)`: the planner hashes or merges 100,000 ids against the
    # table (0.33-0.45 s) instead of probing the index once per id (0.7-0.87 s, docs/benchmarks.md)
    return await conn.fetch(
        "SELECT r.customer_id, r.owner_id, r.owner_unit_id, r.owner_unit_path, r.holder_id, r.province_code"
        " FROM unnest($1::uuid[]) AS i(id) JOIN customer_refs r ON r.customer_id = i.id WHERE NOT r.deleted", ids)


async def keep_snapshots(conn: asyncpg.Connection, rows: list[tuple[Any, Any, Any, Any, Any, Any, int]]) -> None:
    """(customer id, owner id, owner unit id, owner unit path, holder id, province code, version) of
    live customers as the customers service showed them now (read your own writes): kept as their
    events will be (newer versions win), and live again at that version (a restore not yet seen)."""
    if not rows:
        return
    await conn.executemany(f"INSERT INTO customer_refs ({', '.join(COLUMNS)}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                           + _upsert(), rows)
    await conn.executemany("UPDATE customer_refs SET deleted = false WHERE customer_id = $1 AND version = $2",
                           [(row[0], row[-1]) for row in rows])
