"""SQL of the reasons' catalogue (seeded by the migration, edited by admins)."""
from __future__ import annotations

import asyncpg

COLUMNS = "code, name_vi, name_en, counts_calls, active, position, updated_at"


async def all_reasons(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {COLUMNS} FROM reasons ORDER BY position, code")


async def known(conn: asyncpg.Connection, codes: list[str]) -> set[str]:
    return {r["code"] for r in await conn.fetch("SELECT code FROM reasons WHERE code = ANY($1::text[])", codes)}


async def put(conn: asyncpg.Connection, *, code: str, name_vi: str, name_en: str, counts_calls: bool,
              active: bool) -> asyncpg.Record:
    """Create (at the end of the list) or change a reason."""
    return await conn.fetchrow(
        "INSERT INTO reasons (code, name_vi, name_en, counts_calls, active, position)"
        " VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(max(position), 0) + 1 FROM reasons))"
        " ON CONFLICT (code) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en,"
        " counts_calls = EXCLUDED.counts_calls, active = EXCLUDED.active, updated_at = now()"
        f" RETURNING {COLUMNS}", code, name_vi, name_en, counts_calls, active)
