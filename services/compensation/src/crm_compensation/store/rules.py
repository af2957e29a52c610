"""SQL of the auto-decision rules and of the service's settings (abuse guard, review SLA)."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

RULE_COLUMNS = ("id, reason_code, kind, params, decision, active, position, created_by, version, created_at,"
                " updated_at")
SETTINGS_COLUMNS = "abuse_multiple, abuse_min_requests, review_sla_hours, version, updated_at"


async def list_rules(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {RULE_COLUMNS} FROM auto_rules ORDER BY position, created_at, id")


async def get_rule(conn: asyncpg.Connection, rule_id: uuid.UUID, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {RULE_COLUMNS} FROM auto_rules WHERE id = $1{' FOR UPDATE' if lock else ''}",
                               rule_id)


async def reason_exists(conn: asyncpg.Connection, code: str) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT FROM reasons WHERE code = $1)", code))


async def add_rule(conn: asyncpg.Connection, *, reason_code: str, kind: str, params: dict[str, Any], decision: str,
                   active: bool, position: int, created_by: uuid.UUID) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO auto_rules (id, reason_code, kind, params, decision, active, position, created_by)"
        f" VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8) RETURNING {RULE_COLUMNS}",
        uuid.uuid4(), reason_code, kind, params, decision, active, position, created_by)


async def update_rule(conn: asyncpg.Connection, rule_id: uuid.UUID, changes: dict[str, Any]) -> asyncpg.Record:
    """`changes`: column → value among reason_code, kind, params, decision, active, position."""
    columns = [name for name in ("reason_code", "kind", "params", "decision", "active", "position") if name in changes]
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, start=2))
    values = [changes[n] for n in columns]
    return await conn.fetchrow(
        f"UPDATE auto_rules SET {sets}{', ' if sets else ''}version = version + 1, updated_at = now()"
        f" WHERE id = $1 RETURNING {RULE_COLUMNS}", rule_id, *values)


async def delete_rule(conn: asyncpg.Connection, rule_id: uuid.UUID) -> bool:
    return await conn.execute("DELETE FROM auto_rules WHERE id = $1", rule_id) == "DELETE 1"


async def get_settings(conn: asyncpg.Connection, *, lock: bool = False) -> asyncpg.Record:
    return await conn.fetchrow(f"SELECT {SETTINGS_COLUMNS} FROM settings{' FOR UPDATE' if lock else ''}")


async def update_settings(conn: asyncpg.Connection, changes: dict[str, Any]) -> asyncpg.Record:
    columns = [n for n in ("abuse_multiple", "abuse_min_requests", "review_sla_hours") if n in changes]
    sets = "".join(f"{name} = ${i}, " for i, name in enumerate(columns, start=1))
    return await conn.fetchrow(
        f"UPDATE settings SET {sets}version = version + 1, updated_at = now() RETURNING {SETTINGS_COLUMNS}",
        *(changes[n] for n in columns))
