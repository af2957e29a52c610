"""SQL of the units read model and of keeping the packages' unit paths current when a unit or a
rep moves (the managers above see a package by its `owner_unit_path`)."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


async def upsert(conn: asyncpg.Connection, *, unit_id: uuid.UUID, path: str, changed_at: datetime) -> bool:
    """The unit's path; False when a newer state is already known."""
    changed = await conn.fetchval(
        "INSERT INTO units (id, path, changed_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (id) DO UPDATE SET path = EXCLUDED.path, changed_at = EXCLUDED.changed_at"
        " WHERE units.changed_at <= EXCLUDED.changed_at RETURNING true", unit_id, path, changed_at)
    return bool(changed)


async def path_of(conn: asyncpg.Connection, unit_id: uuid.UUID) -> str | None:
    return await conn.fetchval("SELECT path FROM units WHERE id = $1", unit_id)


async def repath_unit_packages(conn: asyncpg.Connection, *, unit_id: uuid.UUID, path: str) -> None:
    """A moved unit: its own packages, and those of the reps who work in it."""
    await conn.execute(
        "UPDATE lead_packages SET owner_unit_path = $2 WHERE owner_unit_id = $1 AND owner_unit_path <> $2",
        unit_id, path)
    await conn.execute(
        "UPDATE lead_packages p SET owner_unit_path = $2 FROM directory_users u"
        " WHERE p.owner_id = u.id AND u.unit_id = $1 AND p.owner_unit_path <> $2", unit_id, path)


async def repath_user_packages(conn: asyncpg.Connection, *, user_id: uuid.UUID, path: str) -> None:
    """A rep who moved to another unit: their packages follow them."""
    await conn.execute(
        "UPDATE lead_packages SET owner_unit_path = $2 WHERE owner_id = $1 AND owner_unit_path <> $2", user_id, path)
