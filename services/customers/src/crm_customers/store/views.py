"""SQL for the saved views of the customer list (C-8), one row per user."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg


async def get_view(conn: asyncpg.Connection, user_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT view, updated_at FROM customer_views WHERE user_id = $1", user_id)


async def put_view(conn: asyncpg.Connection, user_id: uuid.UUID, view: dict[str, Any]) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO customer_views (user_id, view) VALUES ($1, $2)"
        " ON CONFLICT (user_id) DO UPDATE SET view = EXCLUDED.view, updated_at = now()"
        " RETURNING view, updated_at",
        user_id, view,
    )
