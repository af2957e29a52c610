"""SQL of uploaded files."""
from __future__ import annotations

import uuid
from datetime import datetime
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


async def expire(conn: asyncpg.Connection | asyncpg.Pool, *, before: datetime, limit: int = 500) -> list[asyncpg.Record]:
    """Uploads older than `before` that nothing needs any more (no queued or running job, every
    job of theirs finished before `before`), marked expired with their jobs; returns each one's
    `path` and `job_ids` so the caller deletes the files after the commit."""
    return await conn.fetch(
        """WITH old AS (
               SELECT u.id FROM uploads u
               WHERE u.expired_at IS NULL AND u.created_at < $1
                 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.upload_id = u.id
                                 AND (j.finished_at IS NULL OR j.finished_at >= $1))
               ORDER BY u.created_at LIMIT $2 FOR UPDATE OF u SKIP LOCKED),
           expired_jobs AS (
               UPDATE jobs j SET files_expired_at = now(), result_path = NULL FROM old
               WHERE j.upload_id = old.id RETURNING j.id, j.upload_id)
           UPDATE uploads u SET expired_at = now() FROM old WHERE u.id = old.id
           RETURNING u.path, ARRAY(SELECT e.id FROM expired_jobs e WHERE e.upload_id = u.id) AS job_ids""",
        before, limit)
