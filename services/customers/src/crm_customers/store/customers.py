"""SQL for the customer aggregate."""
from __future__ import annotations

import uuid

import asyncpg

COLUMNS = ("id, name, phone, email, lifecycle, party_type, status, owner_id, owner_unit_id, owner_unit_path,"
           " version, created_at, updated_at")


async def insert(conn: asyncpg.Connection, *, values: dict) -> asyncpg.Record:
    names = list(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
    return await conn.fetchrow(
        f"INSERT INTO customers ({', '.join(names)}) VALUES ({placeholders}) RETURNING {COLUMNS}",
        *values.values(),
    )


async def id_by_phone(conn: asyncpg.Connection, phone: str) -> uuid.UUID | None:
    return await conn.fetchval("SELECT id FROM customers WHERE phone = $1", phone)


# The caller may see the row: admin, owner, or a manager above the owner's unit ($2..$5).
VISIBLE_TO_CALLER = "($2 OR c.owner_id = $3 OR ($4 AND c.owner_unit_path LIKE $5 || '%'))"


async def get_visible(conn: asyncpg.Connection, *, customer_id: uuid.UUID, user_id: uuid.UUID,
                      is_admin: bool, is_manager: bool, unit_path: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM customers c WHERE c.id = $1 AND c.deleted_at IS NULL AND {VISIBLE_TO_CALLER}",
        customer_id, is_admin, user_id, is_manager, unit_path,
    )
