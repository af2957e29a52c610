"""SQL of import jobs, their chunks and their failed rows."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import orjson

from crmkit.auth import Principal

JOB_COLUMNS = ("id", "upload_id", "created_by", "unit_path", "language", "fingerprint", "sheet", "start_row", "fields",
               "columns", "template", "dry_run", "group_id", "new_group", "lead_package_id", "owner_id", "next_row")


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> asyncpg.Record | None:
    """The new job, or None when a live job has the same fingerprint (the caller reads that one)."""
    row = dict(values)
    row["new_group"] = orjson.dumps(row["new_group"]).decode() if row.get("new_group") else None
    placeholders = ", ".join(f"${i}" + ("::text::jsonb" if name == "new_group" else "")
                             for i, name in enumerate(JOB_COLUMNS, 1))
    return await conn.fetchrow(
        f"""INSERT INTO jobs ({", ".join(JOB_COLUMNS)}) VALUES ({placeholders})
            ON CONFLICT (fingerprint) WHERE status NOT IN ('failed', 'cancelled') DO NOTHING RETURNING *""",
        *(row[name] for name in JOB_COLUMNS))


async def live_by_fingerprint(conn: asyncpg.Connection, fingerprint: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM jobs WHERE fingerprint = $1 AND status NOT IN ('failed', 'cancelled')", fingerprint)


async def get(conn: asyncpg.Connection | asyncpg.Pool, job_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM jobs WHERE id = $1", job_id)


async def list_visible(conn: asyncpg.Connection | asyncpg.Pool, principal: Principal, *, limit: int,
                       before: Any = None) -> list[asyncpg.Record]:
    """The caller's jobs; a manager's unit subtree's; an admin's all — newest first."""
    if principal.is_admin:
        reach, params = "true", []
    elif principal.is_manager and principal.unit_path:
        reach, params = "(created_by = $1 OR unit_path LIKE $2)", [principal.user_id, principal.unit_path + "%"]
    else:
        reach, params = "created_by = $1", [principal.user_id]
    params.append(limit)
    return await conn.fetch(f"SELECT * FROM jobs WHERE {reach} ORDER BY created_at DESC, id DESC "
                            f"LIMIT ${len(params)}", *params)


async def request_cancel(conn: asyncpg.Connection, job_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """UPDATE jobs SET cancel_requested = true
           WHERE id = $1 AND status IN ('queued', 'running') RETURNING *""", job_id)


async def cancel_queued(conn: asyncpg.Connection, job_id: uuid.UUID) -> asyncpg.Record | None:
    """A job no worker took yet is cancelled at once."""
    return await conn.fetchrow(
        """UPDATE jobs SET status = 'cancelled', finished_at = now()
           WHERE id = $1 AND status = 'queued' RETURNING *""", job_id)


# --- the worker -----------------------------------------------------------------------------------


async def claim(conn: asyncpg.Connection, *, worker: str, stale_seconds: float) -> asyncpg.Record | None:
    """The oldest queued job, or a running one whose worker stopped heart-beating (resumed)."""
    return await conn.fetchrow(
        """UPDATE jobs SET status = 'running', worker = $1, heartbeat_at = now(), attempts = attempts + 1,
                           started_at = coalesce(started_at, now())
           WHERE id = (SELECT id FROM jobs
                       WHERE status = 'queued'
                          OR (status = 'running' AND NOT cancel_requested
                               AND heartbeat_at < now() - make_interval(secs => $2))
                       ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING *""", worker, stale_seconds)


async def heartbeat(conn: asyncpg.Connection | asyncpg.Pool, *, job_id: uuid.UUID, worker: str) -> asyncpg.Record | None:
    """The job, still ours (None: another worker took it over)."""
    return await conn.fetchrow(
        "UPDATE jobs SET heartbeat_at = now() WHERE id = $1 AND worker = $2 AND status = 'running' RETURNING *",
        job_id, worker)


async def add_chunk(conn: asyncpg.Connection, *, job_id: uuid.UUID, worker: str, chunk_no: int, first_row: int,
                    last_row: int, rows: int, read_rows: int, next_row: int, duplicates: int,
                    legacy_text: int) -> bool:
    """Record a chunk sent (with the rows read up to `next_row`, and the duplicates dropped since the
    last chunk: they have their outcome); False if the job is no longer ours."""
    updated = await conn.fetchval(
        """UPDATE jobs SET chunks_sent = chunks_sent + 1, read_rows = $3, next_row = $4,
                           duplicates_in_file = duplicates_in_file + $5, processed_rows = processed_rows + $5,
                           legacy_text = legacy_text + $6, heartbeat_at = now()
           WHERE id = $1 AND worker = $2 AND status = 'running' RETURNING id""",
        job_id, worker, read_rows, next_row, duplicates, legacy_text)
    if updated is None:
        return False
    await conn.execute(
        """INSERT INTO job_chunks (job_id, chunk_no, first_row, last_row, rows) VALUES ($1, $2, $3, $4, $5)""",
        job_id, chunk_no, first_row, last_row, rows)
    return True


async def add_failures(conn: asyncpg.Connection, job_id: uuid.UUID,
                       failures: list[tuple[int, str | None, str]]) -> None:
    if failures:
        await conn.copy_records_to_table("job_failures", records=[(job_id, row, field, code)
                                                                  for row, field, code in failures],
                                         columns=["job_id", "row", "field", "code"])


async def read_to_end(conn: asyncpg.Connection, *, job_id: uuid.UUID, worker: str, total_rows: int,
                      legacy_text: int) -> bool:
    """The file is read (its last rows went with the last chunk)."""
    updated = await conn.fetchval(
        """UPDATE jobs SET file_done = true, total_rows = $3, read_rows = $3, legacy_text = legacy_text + $4
           WHERE id = $1 AND worker = $2 AND status = 'running' RETURNING id""",
        job_id, worker, total_rows, legacy_text)
    return updated is not None


async def in_flight(conn: asyncpg.Connection | asyncpg.Pool, job_id: uuid.UUID) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM job_chunks WHERE job_id = $1 AND applied_at IS NULL", job_id)


async def apply_answer(conn: asyncpg.Connection, *, job_id: uuid.UUID, chunk_no: int, created: int, updated: int,
                       failed: int, failed_rows: int) -> asyncpg.Record | None:
    """Count a chunk's answer once (a second delivery finds it applied); the job after it."""
    chunk = await conn.fetchrow(
        """UPDATE job_chunks SET applied_at = now(), created = $3, updated = $4, failed = $5
           WHERE job_id = $1 AND chunk_no = $2 AND applied_at IS NULL RETURNING rows""",
        job_id, chunk_no, created, updated, failed_rows)
    if chunk is None:
        return None
    return await conn.fetchrow(
        """UPDATE jobs SET created = created + $2, updated = updated + $3, failed = failed + $4,
                           processed_rows = processed_rows + $5
           WHERE id = $1 RETURNING *""", job_id, created, updated, failed_rows, chunk["rows"])


async def finish(conn: asyncpg.Connection, *, job_id: uuid.UUID, status: str, error: str | None = None,
                 result_path: str | None = None) -> asyncpg.Record | None:
    """Mark a running job finished (once: a job already finished is left as it is)."""
    return await conn.fetchrow(
        """UPDATE jobs SET status = $2, error = $3, result_path = coalesce($4, result_path), finished_at = now(),
                           worker = NULL
           WHERE id = $1 AND status IN ('queued', 'running') RETURNING *""", job_id, status, error, result_path)


async def failures(conn: asyncpg.Connection | asyncpg.Pool, job_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT row, field, code FROM job_failures WHERE job_id = $1 ORDER BY row, field NULLS FIRST", job_id)
