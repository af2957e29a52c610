"""SQL for the attribute definitions (C-3) and the customer values that depend on them."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

COLUMNS = "id, key, name, type, options, required, display_order, filterable, created_at, updated_at"


async def list_definitions(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {COLUMNS} FROM customer_attributes ORDER BY display_order, key")


async def get_definition(conn: asyncpg.Connection, attribute_id: uuid.UUID, *,
                         for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM customer_attributes WHERE id = $1{lock}", attribute_id)


async def insert_definition(conn: asyncpg.Connection, values: dict[str, Any]) -> asyncpg.Record:
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    return await conn.fetchrow(
        f"INSERT INTO customer_attributes ({', '.join(values)}) VALUES ({placeholders}) RETURNING {COLUMNS}",
        *values.values(),
    )


async def update_definition(conn: asyncpg.Connection, attribute_id: uuid.UUID,
                            values: dict[str, Any]) -> asyncpg.Record:
    assignments = "".join(f"{name} = ${i}, " for i, name in enumerate(values, start=2))
    return await conn.fetchrow(
        f"UPDATE customer_attributes SET {assignments}updated_at = now() WHERE id = $1 RETURNING {COLUMNS}",
        attribute_id, *values.values(),
    )


async def delete_definition(conn: asyncpg.Connection, attribute_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM customer_attributes WHERE id = $1", attribute_id)


async def in_use(conn: asyncpg.Connection, key: str) -> bool:
    """Whether any customer (deleted ones included: they can be restored) has a value for `key`."""
    return bool(await conn.fetchval("SELECT true FROM customers WHERE attributes ? $1 LIMIT 1", key))


async def options_in_use(conn: asyncpg.Connection, key: str, values: list[str], *, multi: bool) -> list[str]:
    """Which of `values` some customer holds (containment: served by the GIN index on attributes)."""
    used = []
    for value in values:
        probe = {key: [value] if multi else value}
        # live rows first (the partial GIN index of 0003/0015), then the few soft-deleted ones
        if await conn.fetchval("SELECT true FROM customers WHERE deleted_at IS NULL AND attributes @> $1::jsonb"
                               " AND attributes <> '{}' LIMIT 1", probe) or await conn.fetchval(
                "SELECT true FROM customers WHERE deleted_at IS NOT NULL AND attributes @> $1::jsonb LIMIT 1", probe):
            used.append(value)
    return used


async def distinct_values(conn: asyncpg.Connection, key: str, *, batch: int = 1000) -> AsyncIterator[Any]:
    """Every distinct value customers hold for `key`, streamed (call inside a transaction)."""
    async for row in conn.cursor(
            "SELECT DISTINCT attributes -> $1 AS value FROM customers WHERE attributes ? $1", key, prefetch=batch):
        yield row["value"]


async def remove_values(conn: asyncpg.Connection, key: str) -> int:
    """Drop `key` from every customer holding it; their version moves on (the record changed)."""
    result = await conn.execute(
        "UPDATE customers SET attributes = attributes - $1, version = version + 1, updated_at = now()"
        " WHERE attributes ? $1", key,
    )
    return int(result.split()[-1])
