"""The import worker (M-5, M-6): reads a job's file and sends its rows to the customers service.

* `import_worker` (ServiceSpec.background) claims the oldest queued job — or a running one whose
  worker stopped heart-beating: a killed worker's job is resumed by the next one.
* The file is read in a thread, row by row (bounded memory whatever its size). Mapped values go
  into chunks (≤ `chunk_rows` rows, ≤ `chunk_bytes` of JSON: a Kafka message is at most 1 MB);
  each chunk is one transaction: its `job_chunks` row, the row number to resume from, the rows
  refused here (a phone seen earlier in the file: `duplicate_in_file`) and the command in the
  outbox. A worker killed after that commit resumes after that chunk; before it, at that chunk —
  the customers service never sees a row twice, and a command the relay sends twice is skipped by
  its inbox (exactly once).
* Resuming re-reads the rows before the resume point only to rebuild the set of phones seen, so
  duplicates are found across the restart exactly as in a clean run.
* At most `max_chunks_in_flight` chunks wait for an answer: the customers service sets the pace and
  the outbox stays short. Each command is keyed by its chunk (`<job>:<chunk>`), not by the job, so
  the chunks in flight spread over the partitions and the customers service applies them side by
  side (`crm_customers.consumers`).
* Every `progress_seconds` while it runs: a heartbeat, the cancel flag, `import.progressed`.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import FastAPI

from crmkit.background import poll_forever, worker_name
from crmkit.logging import get_logger
from crmkit.unit_of_work import UnitOfWork
from crmkit.vn_phones import phone_key

from crm_import import events
from crm_import.files.readers import ReadStats, read_rows
from crm_import.handlers import results
from crm_import.handlers.lifecycle import end_if_done, fail, publish_progress
from crm_import.handlers.problems import SOURCE
from crm_import.handlers.uploaded import file_info, limits_of
from crm_import.store import jobs as store
from crm_import.store import uploads as upload_store

log = get_logger(__name__)
BATCH_ROWS = 2_000  # rows handed over from the reading thread at a time


class JobLost(Exception):
    """Another worker took the job over (ours stopped heart-beating for too long)."""


class JobCancelled(Exception):
    """The importer cancelled the job: no more chunks are sent."""


class Chunk:
    """The rows of the chunk being filled, and what was refused here since the last one."""

    def __init__(self, job: asyncpg.Record, number: int) -> None:
        self.job, self.number = job, number
        self.rows: list[events.ChunkRow] = []
        self.size = 0
        self.first_row: int | None = None
        self.last_row = 0
        self.duplicates: list[int] = []

    def add(self, row_number: int, values: list[str | None]) -> None:
        self.rows.append(events.ChunkRow(row=row_number, values=values))
        self.size += 16 + sum(len(value) + 4 for value in values if value is not None) + 5 * len(values)
        self.first_row = self.first_row or row_number
        self.last_row = row_number

    def full(self, settings: Any) -> bool:
        return len(self.rows) >= settings.chunk_rows or self.size >= settings.chunk_bytes

    def subject(self) -> str:
        """The command's subject, hence its Kafka key: the job and the chunk, so that a job's
        chunks spread over the partitions of `crm.customers.commands` and the customers service's
        consumers apply several at once (their order does not matter: no two carry one phone)."""
        return f"{self.job['id']}:{self.number}"

    def command(self) -> events.ImportChunk:
        job = self.job
        return events.ImportChunk(
            job_id=job["id"], chunk_no=self.number, dry_run=job["dry_run"], importer_id=job["created_by"],
            owner_id=job["owner_id"], lead_package_id=job["lead_package_id"],
            group_id=None if job["new_group"] else job["group_id"],  # a new group is made by the customers service
            new_group=events.NewGroup.model_validate(job["new_group"]) if job["new_group"] else None,
            fields=list(job["fields"]), rows=self.rows)


class Run:
    """One worker's run of one job."""

    def __init__(self, pool: asyncpg.Pool, job: asyncpg.Record, upload: asyncpg.Record, settings: Any,
                 worker: str) -> None:
        self.pool, self.job, self.upload, self.settings, self.worker = pool, job, upload, settings, worker
        self.last_beat = time.monotonic()
        self.phone_at = list(job["fields"]).index("phone") if "phone" in job["fields"] else None
        self.stats = ReadStats()
        self.legacy_counted = 0

    async def beat(self, *, force: bool = False) -> asyncpg.Record:
        """Heartbeat and progress every `progress_seconds`; raises JobLost / JobCancelled."""
        if not force and time.monotonic() - self.last_beat < self.settings.progress_seconds:
            return self.job
        async with UnitOfWork(self.pool, source=SOURCE) as uow:
            job = await store.heartbeat(uow.conn, job_id=self.job["id"], worker=self.worker)
            if job is None:
                raise JobLost(str(self.job["id"]))
            await publish_progress(uow, job, file_name=self.upload["filename"])
        self.job, self.last_beat = job, time.monotonic()
        if job["cancel_requested"]:
            raise JobCancelled(str(job["id"]))
        return job

    async def send(self, chunk: Chunk, *, read_rows: int, next_row: int) -> None:
        while await store.in_flight(self.pool, self.job["id"]) >= self.settings.max_chunks_in_flight:
            await self.beat()
            await asyncio.sleep(0.1)  # answers come about once a second
        async with UnitOfWork(self.pool, source=SOURCE) as uow:
            kept = await store.add_chunk(
                uow.conn, job_id=self.job["id"], worker=self.worker, chunk_no=chunk.number,
                first_row=chunk.first_row or next_row, last_row=chunk.last_row or next_row - 1, rows=len(chunk.rows),
                read_rows=read_rows, next_row=next_row, duplicates=len(chunk.duplicates),
                legacy_text=self.legacy_since_last())
            if not kept:
                raise JobLost(str(self.job["id"]))
            await store.add_failures(uow.conn, self.job["id"], [(row, None, "duplicate_in_file")
                                                                 for row in chunk.duplicates])
            if chunk.rows:  # keyed by chunk: spread over the topic's partitions, applied side by side
                await uow.publish(chunk.command(), subject=chunk.subject(), actor=self.job["created_by"])
        await self.beat()

    def legacy_since_last(self) -> int:
        converted = self.stats.legacy_converted - self.legacy_counted
        self.legacy_counted = self.stats.legacy_converted
        return converted

    async def read(self) -> None:
        job, upload = self.job, self.upload
        resume_from = job["next_row"] or job["start_row"]
        rows = read_rows(Path(upload["path"]), file_info(upload), sheet=job["sheet"], start_row=job["start_row"],
                         columns=list(job["columns"]), limits=limits_of(self.settings), stats=self.stats)
        seen: set[str] = set()
        chunk = Chunk(job, job["chunks_sent"])
        read = 0
        next_row = resume_from
        async for batch in _batches(rows):
            for row_number, values in batch:  # the mapped cells, in the order of the fields; never all empty
                read += 1
                key = phone_key(values[self.phone_at]) if self.phone_at is not None else None
                duplicate = key is not None and key in seen
                if key is not None:
                    seen.add(key)
                if row_number < resume_from:  # sent before a restart: read again only for `seen`
                    self.legacy_counted = self.stats.legacy_converted
                    continue
                next_row = row_number + 1
                if duplicate:
                    chunk.duplicates.append(row_number)
                else:
                    chunk.add(row_number, values)
                if chunk.full(self.settings):
                    await self.send(chunk, read_rows=read, next_row=next_row)
                    chunk = Chunk(self.job, chunk.number + 1)
            await self.beat()
        if chunk.rows or chunk.duplicates:
            await self.send(chunk, read_rows=read, next_row=next_row)
        async with UnitOfWork(self.pool, source=SOURCE) as uow:
            if not await store.read_to_end(uow.conn, job_id=job["id"], worker=self.worker, total_rows=read,
                                           legacy_text=self.legacy_since_last()):
                raise JobLost(str(job["id"]))
            job = await store.get(uow.conn, job["id"])
            assert job is not None
            await end_if_done(uow, job)

    async def wait_for_answers(self) -> None:
        """Keep the job ours (and its progress told) until the last answer ends it: the answers'
        consumer ends it (handlers.answers); the heartbeat finds it no longer running."""
        while True:
            await self.beat()
            await asyncio.sleep(0.25)


async def _batches(rows: Iterator[tuple[int, list[str | None]]]) -> AsyncIterator[list[tuple[int, list[str | None]]]]:
    while batch := await asyncio.to_thread(lambda: list(islice(rows, BATCH_ROWS))):
        yield batch


async def run_job(pool: asyncpg.Pool, job: asyncpg.Record, settings: Any, *, worker: str) -> None:
    upload = await upload_store.get(pool, job["upload_id"])
    assert upload is not None  # jobs reference their upload
    run = Run(pool, job, upload, settings, worker)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await publish_progress(uow, job, file_name=upload["filename"], started=True)
    try:
        await run.read()
    except JobCancelled:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            current = await store.get(uow.conn, job["id"])
            if current is not None:
                await end_if_done(uow, current)
    except JobLost:
        log.warning("import_job_lost", job_id=str(job["id"]))
        return
    except Exception as exc:  # an unreadable file: the job fails, what was applied stays
        log.exception("import_job_failed", job_id=str(job["id"]))
        async with UnitOfWork(pool, source=SOURCE) as uow:
            current = await store.get(uow.conn, job["id"])
            if current is not None:
                await fail(uow, current, getattr(exc, "code", None) or type(exc).__name__)
        return
    try:
        await run.wait_for_answers()
    except (JobLost, JobCancelled):
        pass
    await write_importers_result(pool, settings, job["id"], upload)


async def write_importers_result(pool: asyncpg.Pool, settings: Any, job_id: uuid.UUID,
                                 upload: asyncpg.Record) -> None:
    """The result file in the importer's language, now that the job has ended (a download of a big
    job's file would otherwise wait for the file to be read again)."""
    job = await store.get(pool, job_id)
    if job is None or job["status"] not in ("completed", "cancelled") or not (job["failed"] or
                                                                              job["duplicates_in_file"]):
        return
    try:
        await results.write_result_file(pool, settings, job=job, upload=upload, language=job["language"])
    except Exception:  # the download writes it then
        log.exception("import_result_file_failed", job_id=str(job_id))


async def work_once(pool: asyncpg.Pool, settings: Any, *, worker: str) -> asyncpg.Record | None:
    async with pool.acquire() as conn:
        job = await store.claim(conn, worker=worker, stale_seconds=settings.stale_seconds)
    if job is None:
        return None
    log.info("import_job_claimed", job_id=str(job["id"]), resume_row=job["next_row"])
    await run_job(pool, job, settings, worker=worker)
    return job


async def import_worker(app: FastAPI) -> None:
    """Background task (ServiceSpec.background) of every replica that runs the worker."""
    pool, settings, worker = app.state.pool, app.state.settings, worker_name()
    await poll_forever(lambda: work_once(pool, settings, worker=worker), idle_seconds=settings.poll_seconds,
                       error_event="import_worker_error")
