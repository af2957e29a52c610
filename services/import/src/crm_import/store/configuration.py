"""SQL of what the import keeps of the customers service's configuration (from its events)."""
from __future__ import annotations

from typing import Any

import asyncpg
import orjson


async def upsert_attribute(conn: asyncpg.Connection, attribute: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO attributes (key, name, type, options, required, display_order)
           VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)
           ON CONFLICT (key) DO UPDATE SET name = $2, type = $3, options = $4::text::jsonb, required = $5,
                                           display_order = $6""",
        attribute["key"], attribute["name"], attribute["type"], orjson.dumps(attribute.get("options") or []).decode(),
        attribute.get("required", False), attribute.get("display_order", 0))


async def delete_attribute(conn: asyncpg.Connection, key: str) -> None:
    await conn.execute("DELETE FROM attributes WHERE key = $1", key)


async def attributes(conn: asyncpg.Connection | asyncpg.Pool) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM attributes ORDER BY display_order, key")


async def upsert_item(conn: asyncpg.Connection, *, kind: str, item_id: str, name: str, deleted: bool) -> None:
    await conn.execute(
        """INSERT INTO config_items (kind, id, name, deleted) VALUES ($1, $2, $3, $4)
           ON CONFLICT (kind, id) DO UPDATE SET name = $3, deleted = $4""", kind, item_id, name, deleted)


async def items(conn: asyncpg.Connection | asyncpg.Pool, kind: str) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT id, name FROM config_items WHERE kind = $1 AND NOT deleted ORDER BY name", kind)
