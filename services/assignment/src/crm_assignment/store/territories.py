"""SQL of `province_territories`: which unit covers which province (A-3, issue 13), with the unit's
name and path from crmkit's unit directory (`directory_units`), current when a unit moves."""
from __future__ import annotations

import uuid

import asyncpg

_COLUMNS = "t.province_code, t.unit_id, u.path AS unit_path, u.name AS unit_name"


async def mapped(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Every mapped province with its unit."""
    return await conn.fetch(f"SELECT {_COLUMNS} FROM province_territories t"
                            " LEFT JOIN directory_units u ON u.id = t.unit_id ORDER BY t.province_code")


async def get(conn: asyncpg.Connection, province_code: int, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM province_territories t"
                               " LEFT JOIN directory_units u ON u.id = t.unit_id WHERE t.province_code = $1"
                               f"{' FOR UPDATE OF t' if lock else ''}", province_code)


async def put(conn: asyncpg.Connection, *, province_code: int, unit_id: uuid.UUID, updated_by: uuid.UUID) -> None:
    await conn.execute(
        "INSERT INTO province_territories (province_code, unit_id, updated_by) VALUES ($1, $2, $3)"
        " ON CONFLICT (province_code) DO UPDATE SET unit_id = EXCLUDED.unit_id, updated_by = EXCLUDED.updated_by,"
        " updated_at = now()", province_code, unit_id, updated_by)


async def delete(conn: asyncpg.Connection, province_code: int) -> None:
    await conn.execute("DELETE FROM province_territories WHERE province_code = $1", province_code)


async def units_by_province(conn: asyncpg.Connection) -> dict[int, uuid.UUID]:
    """{province code: unit id} of the whole map (34 rows at most), for a distribution by province."""
    return {r["province_code"]: r["unit_id"] for r in await conn.fetch(
        "SELECT province_code, unit_id FROM province_territories")}
