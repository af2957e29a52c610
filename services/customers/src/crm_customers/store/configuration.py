"""SQL for the configurable sets: statuses, labels, groups, and the attribute definitions."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

TABLES = {"status": "customer_statuses", "label": "customer_labels", "group": "customer_groups"}
COLUMNS = {
    "status": "id, key, name, name_en, position, created_at, updated_at",
    "label": "id, key, name, name_en, category, position, created_at, updated_at",
    "group": "id, name, description, created_at, updated_at",
}
ORDER = {"status": "position, key", "label": "position, key", "group": "lower(name), id"}
# how a customer refers to an item: a status link per customer (migration 0026), a label link per
# key (0021), groups array ∋ id (its GIN index leaves out empty arrays: `<> '{}'` lets the planner use it, 0015)
USE = {"status": "id IN (SELECT customer_id FROM customer_status_links WHERE status = $1)",
       "label": "id IN (SELECT customer_id FROM customer_label_links WHERE label = $1)",
       "group": "groups @> ARRAY[$1::uuid] AND groups <> '{}'"}


async def list_items(conn: asyncpg.Connection, *, kind: str) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {COLUMNS[kind]} FROM {TABLES[kind]} ORDER BY {ORDER[kind]}")


async def get_item(conn: asyncpg.Connection, *, kind: str, item_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS[kind]} FROM {TABLES[kind]} WHERE id = $1", item_id)


async def insert_item(conn: asyncpg.Connection, *, kind: str, values: dict[str, Any]) -> asyncpg.Record:
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    return await conn.fetchrow(
        f"INSERT INTO {TABLES[kind]} ({', '.join(values)}) VALUES ({placeholders}) RETURNING {COLUMNS[kind]}",
        *values.values(),
    )


async def update_item(conn: asyncpg.Connection, *, kind: str, item_id: uuid.UUID,
                      values: dict[str, Any]) -> asyncpg.Record | None:
    assignments = "".join(f"{name} = ${i}, " for i, name in enumerate(values, start=2))
    return await conn.fetchrow(
        f"UPDATE {TABLES[kind]} SET {assignments}updated_at = now() WHERE id = $1 RETURNING {COLUMNS[kind]}",
        item_id, *values.values(),
    )


async def delete_item(conn: asyncpg.Connection, *, kind: str, item_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"DELETE FROM {TABLES[kind]} WHERE id = $1 RETURNING {COLUMNS[kind]}", item_id)


async def in_use(conn: asyncpg.Connection, *, kind: str, reference: str | uuid.UUID) -> bool:
    return bool(await conn.fetchval(f"SELECT true FROM customers WHERE {USE[kind]} LIMIT 1", reference))


async def count(conn: asyncpg.Connection, *, kind: str) -> int:
    return await conn.fetchval(f"SELECT count(*) FROM {TABLES[kind]}")


async def status_keys(conn: asyncpg.Connection) -> list[str]:
    """Status keys in pipeline order (the first is the default of a new customer)."""
    return [r["key"] for r in await conn.fetch(f"SELECT key FROM customer_statuses ORDER BY {ORDER['status']}")]


async def label_keys(conn: asyncpg.Connection) -> list[str]:
    return [r["key"] for r in await conn.fetch("SELECT key FROM customer_labels")]


async def label_categories(conn: asyncpg.Connection) -> dict[str, str]:
    """Label key → category, for the labels that have one."""
    return {r["key"]: r["category"]
            for r in await conn.fetch("SELECT key, category FROM customer_labels WHERE category IS NOT NULL")}


async def group_ids(conn: asyncpg.Connection) -> list[uuid.UUID]:
    return [r["id"] for r in await conn.fetch("SELECT id FROM customer_groups")]


async def attribute_definitions(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT key, name, type, options, required, display_order, filterable FROM customer_attributes"
        " ORDER BY display_order, key"
    )
