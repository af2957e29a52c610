"""SQL of export jobs (C-13): the job table, claiming with SKIP LOCKED, heartbeats, recovery,
and the names that turn ids into words in a file."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

JOB_COLUMNS = ("id, created_by, principal, language, format, filter, columns, status, row_count, file_path,"
               " file_name, file_size, error, attempts, worker, created_at, started_at, heartbeat_at, finished_at")


async def insert_job(conn: asyncpg.Connection, *, values: dict[str, Any]) -> asyncpg.Record:
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    return await conn.fetchrow(
        f"INSERT INTO customer_exports ({', '.join(values)}) VALUES ({placeholders}) RETURNING {JOB_COLUMNS}",
        *values.values())


async def get_job(conn: asyncpg.Connection | asyncpg.Pool, job_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {JOB_COLUMNS} FROM customer_exports WHERE id = $1", job_id)


async def list_jobs(conn: asyncpg.Connection | asyncpg.Pool, *, created_by: uuid.UUID,
                    limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {JOB_COLUMNS} FROM customer_exports WHERE created_by = $1 ORDER BY created_at DESC LIMIT $2",
        created_by, limit)


async def claim_next(conn: asyncpg.Connection | asyncpg.Pool, *, worker: str) -> asyncpg.Record | None:
    """The oldest queued job, now running on `worker`; None when there is none (or all are being
    claimed by other workers)."""
    return await conn.fetchrow(
        f"UPDATE customer_exports SET status = 'running', started_at = now(), heartbeat_at = now(),"
        f"  attempts = attempts + 1, worker = $1, row_count = 0, error = NULL"
        f" WHERE id = (SELECT id FROM customer_exports WHERE status = 'queued' ORDER BY created_at"
        f"             LIMIT 1 FOR UPDATE SKIP LOCKED)"
        f" RETURNING {JOB_COLUMNS}", worker)


async def heartbeat(conn: asyncpg.Connection | asyncpg.Pool, *, job_id: uuid.UUID, worker: str,
                    row_count: int) -> bool:
    """Still ours? (False: the job was re-queued and belongs to another worker now.)"""
    return bool(await conn.fetchval(
        "UPDATE customer_exports SET heartbeat_at = now(), row_count = $3"
        " WHERE id = $1 AND worker = $2 AND status = 'running' RETURNING true", job_id, worker, row_count))


async def requeue_stale(conn: asyncpg.Connection | asyncpg.Pool, *, stale_seconds: float,
                        max_attempts: int) -> list[asyncpg.Record]:
    """Running jobs whose worker stopped heart-beating: queued again, or failed after
    `max_attempts`. Returns the jobs touched with their new status."""
    return await conn.fetch(
        f"UPDATE customer_exports SET worker = NULL,"
        f"  status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'queued' END,"
        f"  error = CASE WHEN attempts >= $2 THEN 'worker_lost' END,"
        f"  finished_at = CASE WHEN attempts >= $2 THEN now() END"
        f" WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)"
        f" RETURNING {JOB_COLUMNS}", float(stale_seconds), max_attempts)


async def finish(conn: asyncpg.Connection, *, job_id: uuid.UUID, worker: str, status: str, row_count: int,
                 file_path: str | None = None, file_name: str | None = None, file_size: int | None = None,
                 error: str | None = None) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"UPDATE customer_exports SET status = $3, row_count = $4, file_path = $5, file_name = $6, file_size = $7,"
        f"  error = $8, finished_at = now(), heartbeat_at = now()"
        f" WHERE id = $1 AND worker = $2 AND status = 'running' RETURNING {JOB_COLUMNS}",
        job_id, worker, status, row_count, file_path, file_name, file_size, error)


async def expire_files(conn: asyncpg.Connection | asyncpg.Pool, *, before: datetime) -> list[asyncpg.Record]:
    """Jobs whose file is older than `before`: marked expired; returns their file paths."""
    return await conn.fetch(
        "WITH old AS (SELECT id, file_path FROM customer_exports WHERE file_path IS NOT NULL AND finished_at < $1"
        "             FOR UPDATE SKIP LOCKED)"
        " UPDATE customer_exports e SET status = 'expired', file_path = NULL FROM old WHERE e.id = old.id"
        " RETURNING e.id, old.file_path", before)


# Words for ids


async def names(conn: asyncpg.Connection, language: str = "vi") -> dict[str, dict[Any, str]]:
    """Status, label and group names (statuses and labels in English where they have one and
    `language` is en) and users' full names, by key or id (small tables)."""
    name = "coalesce(name_en, name)" if language == "en" else "name"
    return {
        "status": {r["key"]: r["name"] for r in await conn.fetch(f"SELECT key, {name} AS name FROM customer_statuses")},
        "labels": {r["key"]: r["name"] for r in await conn.fetch(f"SELECT key, {name} AS name FROM customer_labels")},
        "groups": {r["id"]: r["name"] for r in await conn.fetch("SELECT id, name FROM customer_groups")},
        "users": {r["id"]: r["full_name"] or r["username"]
                  for r in await conn.fetch("SELECT id, username, full_name FROM directory_users")},
    }


async def attribute_keys(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT key, name, type FROM customer_attributes ORDER BY display_order, key")
