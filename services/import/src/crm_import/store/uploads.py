"""SQL of uploaded files."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import orjson


async def insert(conn: asyncpg.Connection | asyncpg.Pool, *, values: dict[str, Any]) -> asyncpg.Record:
    return await conn.fetchrow(
        """INSERT INTO uploads (id, created_by, filename, size_bytes, format, encoding, delimiter, sha256, sheets,
                                path)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10) RETURNING *""",
        values["id"], values["created_by"], values["filename"], values["size_bytes"], values["format"],
        values["encoding"], values["delimiter"], values["sha256"], orjson.dumps(values["sheets"]).decode(),
        values["path"])


async def get(conn: asyncpg.Connection | asyncpg.Pool, upload_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM uploads WHERE id = $1", upload_id)


async def file_names(conn: asyncpg.Connection | asyncpg.Pool, upload_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await conn.fetch("SELECT id, filename FROM uploads WHERE id = ANY($1::uuid[])", list(set(upload_ids)))
    return {r["id"]: r["filename"] for r in rows}
