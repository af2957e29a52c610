"""Export jobs (C-13): the current filter to CSV or XLSX, as a job run by the service's worker.

* `create_export` checks the filter and the columns, stores the job (`queued`) with the caller's
  principal (its reach at that moment is what the file may contain) and answers at once; the
  worker (`handlers.export_worker`) writes the file.
* `get_export`, `list_exports`: the caller's jobs (an admin sees every job); `export_file`: the
  finished file.
* Files live in `export_dir` for `export_retention_days` (7), then are deleted (`expired`).
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, FieldError, Gone, Invalid, NotFound

from crm_customers.domain.export_columns import all_columns, unknown_columns
from crm_customers.domain.export_jobs import FORMATS, may_see, media_type, principal_json, public_job
from crm_customers.domain.selection import CustomerFilter
from crm_customers.store import exports as store
from crm_customers.store.selection import customer_where


async def _resolve_columns(conn: asyncpg.Connection, wanted: list[str] | None) -> list[str]:
    attributes = [r["key"] for r in await store.attribute_keys(conn)]
    if not wanted:
        return all_columns(attributes)
    unknown = unknown_columns(wanted, attributes)
    if unknown:
        raise Invalid(*(FieldError(f"columns.{index}", "unknown_column", {"column": key[:100]})
                         for index, key in unknown))
    return list(dict.fromkeys(wanted))


async def create_export(pool: asyncpg.Pool, *, principal: Principal, format: str, flt: CustomerFilter,
                        columns: list[str] | None = None, language: str = "vi",
                        retention_days: int = 7) -> dict[str, Any]:
    if format not in FORMATS:
        raise Invalid(FieldError("format", "invalid_choice", {"choices": ", ".join(FORMATS)}))
    async with pool.acquire() as conn:
        await customer_where(conn, flt, principal)  # an invalid filter is a 422 now, not a failed job
        resolved = await _resolve_columns(conn, columns)
        job = await store.insert_job(conn, values={
            "id": uuid.uuid4(), "created_by": principal.user_id, "principal": principal_json(principal),
            "language": language if language in ("vi", "en") else "vi", "format": format,
            "filter": flt.model_dump(mode="json", exclude_none=True), "columns": resolved,
        })
        await store.notify_queued(conn)
    return public_job(job, retention_days)


async def get_export(pool: asyncpg.Pool, *, principal: Principal, export_id: uuid.UUID,
                     retention_days: int = 7) -> dict[str, Any]:
    job = await store.get_job(pool, export_id)
    if job is None or not may_see(job, principal):
        raise NotFound()
    return public_job(job, retention_days)


async def list_exports(pool: asyncpg.Pool, *, principal: Principal, limit: int = 50,
                       retention_days: int = 7) -> list[dict[str, Any]]:
    return [public_job(job, retention_days) for job in await store.list_jobs(pool, created_by=principal.user_id,
                                                                             limit=limit)]


async def export_file(pool: asyncpg.Pool, *, principal: Principal, export_id: uuid.UUID,
                      retention_days: int = 7) -> tuple[Path, str, str]:
    """(path, download name, media type) of a finished export: 404, 409 `export_not_ready`,
    410 `export_expired`."""
    job = await store.get_job(pool, export_id)
    if job is None or not may_see(job, principal):
        raise NotFound()
    if job["status"] == "expired":
        raise Gone("export_expired", params={"days": retention_days})
    if job["status"] != "done" or not job["file_path"]:
        raise Conflict("export_not_ready", params={"status": job["status"]},
                       details={"export_status": job["status"]})
    path = Path(job["file_path"])
    if not path.is_file():
        raise Gone("export_expired", params={"days": retention_days})
    return path, job["file_name"], media_type(job["format"])
