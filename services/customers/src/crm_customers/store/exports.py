"""SQL of export jobs (C-13): the job table, claiming with SKIP LOCKED, heartbeats, recovery,
the names that turn ids into words in a file, and the rows of a file.

The rows are those of one selection (`where`, `params` of `store.selection.customer_where`:
visibility + scope + search + filters), newest first. CSV: PostgreSQL writes the file (`COPY
(SELECT …) TO STDOUT (FORMAT csv)`, names, local times and neutralisation in SQL — `crm_csv_cell`
of migration 0006 is `domain.cells.neutralise`): 1M rows ~24 s instead of ~76 s, the same bytes as
the per-cell rules of `domain.export_columns.converter` + `export_files.CsvSink`, which
tests/test_exports_copy.py keeps as the reference. XLSX: a server-side cursor (`prefetch` rows per
round trip).
"""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg

from crm_customers.domain.export_columns import BUILT_IN_KEYS, LOCAL_TIME, attribute_key
from crm_customers.store.customers import Params

JOB_COLUMNS = ("id, created_by, principal, language, format, filter, columns, status, row_count, file_path,"
               " file_name, file_size, error, attempts, worker, created_at, started_at, heartbeat_at, finished_at")


async def insert_job(conn: asyncpg.Connection, *, values: dict[str, Any]) -> asyncpg.Record:
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    return await conn.fetchrow(
        f"INSERT INTO customer_exports ({', '.join(values)}) VALUES ({placeholders}) RETURNING {JOB_COLUMNS}",
        *values.values())


async def notify_queued(conn: asyncpg.Connection) -> None:
    await conn.execute("NOTIFY crm_customer_exports")


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


# The rows of a file

NEWEST_FIRST = "ORDER BY c.created_at DESC, c.id DESC"
COPY_TIMEOUT = 24 * 3600.0  # the job's heartbeat, not a statement timeout, bounds a running export


def csv_cell_sql(column_key: str, params: Params, names: dict[str, dict[Any, str]]) -> tuple[str, bool]:
    """(SQL of the text of one CSV cell over the row `c`, whether it is neutralised): the same
    text as `domain.export_columns.converter` + `export_files.CsvSink.cell` (names for ids, local
    times; `crm_csv_cell` = `domain.cells.neutralise` on every text)."""
    attribute = attribute_key(column_key)
    if attribute is not None:
        value = f"(c.attributes -> {params.add(attribute)}::text)"
        return (f"CASE jsonb_typeof({value})"
                f" WHEN 'string' THEN public.crm_csv_cell({value} #>> '{{}}')"
                f" WHEN 'array' THEN public.crm_csv_cell((SELECT string_agg(x, ', ')"
                f"   FROM jsonb_array_elements_text({value}) x))"
                f" WHEN 'number' THEN {value}::text WHEN 'boolean' THEN {value}::text"
                f" WHEN 'object' THEN public.crm_csv_cell({value}::text) END"), False
    column = BUILT_IN_KEYS[column_key]
    source, kind = f"c.{column.source}", column.kind
    if kind == "id":
        return f"{source}::text", False
    if kind == "date":
        return f"to_char({source}, 'YYYY-MM-DD')", False
    if kind == "datetime":
        return f"to_char({source} AT TIME ZONE {params.add(str(LOCAL_TIME))}::text, 'YYYY-MM-DD HH24:MI:SS')", False
    if kind in ("status", "user"):
        mapping = {str(k): v for k, v in names["status" if kind == "status" else "users"].items()}
        return f"coalesce({params.add(mapping)}::jsonb ->> {source}::text, {source}::text)", True
    if kind in ("labels", "groups"):
        mapping = {str(k): v for k, v in names[kind].items()}
        return (f"(SELECT string_agg(coalesce({params.add(mapping)}::jsonb ->> u.k::text, u.k::text), ', '"
                f" ORDER BY u.n) FROM unnest({source}) WITH ORDINALITY u(k, n))"), True
    return f"{source}::text", True


def csv_sql(columns: list[str], *, where: str, params: Params, names: dict[str, dict[Any, str]]) -> str:
    """The SELECT whose COPY output is the CSV body of `columns` (appends to `params`)."""
    cells = [csv_cell_sql(key, params, names) for key in columns]
    # The raw texts are computed once in a subquery (OFFSET 0 keeps it apart) so that the inlined
    # `crm_csv_cell` reads a column instead of evaluating an expression several times.
    inner = ", ".join(f"{sql} AS v{i}" for i, (sql, _) in enumerate(cells))
    outer = [f"public.crm_csv_cell(x.v{i})" if neutralised else f"x.v{i}" for i, (_, neutralised) in enumerate(cells)]
    # Python's csv module writes None and "" as an empty field, and a row of one empty field as
    # `""`; COPY writes NULL unquoted and "" quoted: the same output with NULL for "" (several
    # columns) or "" for NULL (one column).
    outer = [f"nullif({cell}, '')" if len(outer) > 1 else f"coalesce({cell}, '')" for cell in outer]
    return (f"SELECT {', '.join(outer)} FROM (SELECT {inner} FROM customers c WHERE {where}"
            f" {NEWEST_FIRST} OFFSET 0) x")


async def copy_csv(conn: asyncpg.Connection, columns: list[str], *, where: str, params: Params,
                   names: dict[str, dict[Any, str]], output: Callable[[bytes], Awaitable[None]]) -> None:
    """PostgreSQL writes the CSV body (records end in LF) to `output`, chunk by chunk: no Python
    object per cell, memory flat."""
    params = Params(params)
    sql = csv_sql(columns, where=where, params=params, names=names)
    await conn.copy_from_query(sql, *params, output=output, format="csv", timeout=COPY_TIMEOUT)


async def customer_rows(conn: asyncpg.Connection, sources: list[str], *, where: str, params: Params,
                        prefetch: int) -> AsyncIterator[asyncpg.Record]:
    """The columns `sources` of the selected rows through a server-side cursor (inside a
    transaction), `prefetch` rows per round trip."""
    sql = f"SELECT {', '.join(f'c.{s}' for s in sources)} FROM customers c WHERE {where} {NEWEST_FIRST}"
    async for record in conn.cursor(sql, *params, prefetch=prefetch):
        yield record
