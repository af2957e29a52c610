"""The export worker (C-13): runs the queued export jobs of `handlers.exports`.

* `export_worker` (ServiceSpec.background, every replica that runs the worker) claims queued jobs
  with `FOR UPDATE SKIP LOCKED`, heart-beats while it runs one, and re-queues running jobs whose
  worker stopped heart-beating (crash, restart) — failed after `export_max_attempts`.
* A job reads the rows in one REPEATABLE READ, read-only transaction through the one selection of
  `store.selection.customer_where` (visibility + scope + search + filters): memory stays flat
  whatever the row count. CSV: PostgreSQL writes the rows (`store.exports.copy_csv`) into an
  `export_files.CsvCopyFile`; XLSX: a server-side cursor (`export_prefetch` rows per round trip)
  into an `export_files.XlsxSink`.
* Expired files are deleted once an hour.
* `customer_export.finished` (done or failed) lets the notifications service tell the user.
"""
from __future__ import annotations

import contextlib
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import FastAPI

from crmkit.background import poll_forever, worker_name
from crmkit.logging import get_logger
from crmkit.unit_of_work import UnitOfWork

from crm_customers import events
from crm_customers.domain.export_columns import converter, header
from crm_customers.domain.export_jobs import download_name, principal_from_json, public_job
from crm_customers.domain.selection import parse_filter
from crm_customers.export_files import CsvCopyFile, XlsxSink
from crm_customers.handlers.problems import SOURCE
from crm_customers.store import exports as store
from crm_customers.store.customers import Params
from crm_customers.store.selection import customer_where

log = get_logger(__name__)


class JobLost(Exception):
    """The job was re-queued meanwhile (our heartbeat stopped for too long): another worker owns it."""


class Heartbeat:
    """Tells the job table, at most every `export_heartbeat_seconds`, that the job is still ours
    and how far it got; raises JobLost when it no longer is."""

    def __init__(self, pool: asyncpg.Pool, job: asyncpg.Record, settings: Any, worker: str) -> None:
        self.pool, self.job_id, self.worker = pool, job["id"], worker
        self.every = settings.export_heartbeat_seconds
        self.last = time.monotonic()

    async def beat(self, row_count: int) -> None:
        if time.monotonic() - self.last < self.every:
            return
        if not await store.heartbeat(self.pool, job_id=self.job_id, worker=self.worker, row_count=row_count):
            raise JobLost(str(self.job_id))
        self.last = time.monotonic()


async def _publish_finished(uow: UnitOfWork, job: asyncpg.Record, retention_days: int) -> None:
    """On behalf of who asked for the export (the worker has no caller)."""
    public = public_job(job, retention_days)
    await uow.publish(events.CustomerExportFinished(
        export_id=job["id"], user_id=job["created_by"], status=job["status"], format=job["format"],
        row_count=job["row_count"], finished_at=job["finished_at"], expires_at=public["expires_at"]),
        subject=job["id"], actor=job["created_by"])


async def _write_csv(conn: asyncpg.Connection, job: asyncpg.Record, heartbeat: Heartbeat, part: Path, *,
                     where: str, params: Params, names: dict[str, dict[Any, str]], titles: list[str]) -> int:
    file = CsvCopyFile(part, titles)
    try:
        async def write(data: bytes) -> None:
            file.write(data)
            await heartbeat.beat(file.records)

        await store.copy_csv(conn, list(job["columns"]), where=where, params=params, names=names, output=write)
    finally:
        file.close()
    return file.records


async def _write_xlsx(conn: asyncpg.Connection, job: asyncpg.Record, heartbeat: Heartbeat, part: Path, *,
                      where: str, params: Params, names: dict[str, dict[Any, str]],
                      attribute_types: dict[str, str], titles: list[str], prefetch: int) -> int:
    converters = [converter(key, names, attribute_types) for key in job["columns"]]
    sources = list(dict.fromkeys(source for source, _, _ in converters))
    position = {source: index for index, source in enumerate(sources)}
    plan = [(position[source], convert) for source, _, convert in converters]
    kinds = [kind for _, kind, _ in converters]
    sink = XlsxSink(part, "Customers" if job["language"] == "en" else "Khách hàng")
    count = 0
    try:
        sink.header(titles)
        async for record in store.customer_rows(conn, sources, where=where, params=params, prefetch=prefetch):
            sink.row([convert(record[i]) for i, convert in plan], kinds)
            count += 1
            if count % 1000 == 0:
                await heartbeat.beat(count)
    finally:
        sink.close()
    return count


async def _stream(pool: asyncpg.Pool, job: asyncpg.Record, settings: Any, worker: str, part: Path) -> int:
    principal = principal_from_json(job["principal"])
    async with pool.acquire() as conn:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            names = await store.names(conn, job["language"])
            attributes = await store.attribute_keys(conn)
            attribute_names = {r["key"]: r["name"] for r in attributes}
            where, params = await customer_where(conn, parse_filter(job["filter"]), principal)
            titles = [header(key, job["language"], attribute_names) for key in job["columns"]]
            heartbeat = Heartbeat(pool, job, settings, worker)
            if job["format"] == "csv":
                return await _write_csv(conn, job, heartbeat, part, where=where, params=params, names=names,
                                        titles=titles)
            return await _write_xlsx(conn, job, heartbeat, part, where=where, params=params, names=names,
                                     attribute_types={r["key"]: r["type"] for r in attributes}, titles=titles,
                                     prefetch=settings.export_prefetch)


async def run_job(pool: asyncpg.Pool, job: asyncpg.Record, settings: Any, *, worker: str) -> asyncpg.Record | None:
    """Write the job's file and mark it done (or failed); returns the finished job (None if lost)."""
    directory = Path(settings.export_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{job['id']}.{job['format']}"
    part = directory / f"{job['id']}.{job['format']}.part"
    try:
        count = await _stream(pool, job, settings, worker, part)
        os.replace(part, path)
        values: dict[str, Any] = {"status": "done", "row_count": count, "file_path": str(path.resolve()),
                  "file_name": download_name(job), "file_size": path.stat().st_size}
    except JobLost:
        log.warning("export_job_lost", export_id=str(job["id"]))
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        return None
    except Exception as exc:
        log.exception("export_job_failed", export_id=str(job["id"]))
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        values = {"status": "failed", "row_count": 0, "error": type(exc).__name__}
    async with UnitOfWork(pool, source=SOURCE) as uow:
        finished = await store.finish(uow.conn, job_id=job["id"], worker=worker, **values)
        if finished is None:  # re-queued meanwhile: the other worker writes the file again
            return None
        await _publish_finished(uow, finished, settings.export_retention_days)
    log.info("export_job_finished", export_id=str(job["id"]), status=values["status"], rows=values["row_count"])
    return finished


async def recover_stale(pool: asyncpg.Pool, settings: Any) -> list[asyncpg.Record]:
    """Re-queue running jobs whose worker is gone (failed after the last attempt)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        jobs = await store.requeue_stale(uow.conn, stale_seconds=settings.export_stale_seconds,
                                         max_attempts=settings.export_max_attempts)
        for job in jobs:
            log.warning("export_job_recovered", export_id=str(job["id"]), status=job["status"])
            if job["status"] == "failed":
                await _publish_finished(uow, job, settings.export_retention_days)
    return jobs


async def delete_expired_files(pool: asyncpg.Pool, settings: Any, *, now: datetime | None = None) -> int:
    before = (now or datetime.now(UTC)) - timedelta(days=settings.export_retention_days)
    rows = await store.expire_files(pool, before=before)
    for row in rows:
        with contextlib.suppress(FileNotFoundError):
            Path(row["file_path"]).unlink()
    return len(rows)


async def work_once(pool: asyncpg.Pool, settings: Any, *, worker: str) -> asyncpg.Record | None:
    """Recover stale jobs, then run the oldest queued job if there is one; returns it."""
    await recover_stale(pool, settings)
    job = await store.claim_next(pool, worker=worker)
    if job is None:
        return None
    await run_job(pool, job, settings, worker=worker)
    return job


async def export_worker(app: FastAPI) -> None:
    """Background task (ServiceSpec.background) of every replica that runs the worker."""
    pool, settings, worker = app.state.pool, app.state.settings, worker_name()
    last_cleanup = 0.0

    async def step() -> asyncpg.Record | None:
        nonlocal last_cleanup
        if time.monotonic() - last_cleanup >= 3600:
            last_cleanup = time.monotonic()
            await delete_expired_files(pool, settings)
        return await work_once(pool, settings, worker=worker)

    await poll_forever(step, idle_seconds=settings.export_poll_seconds, error_event="export_worker_error")
