"""A job's events (`crm.imports`) and its end: completed when the file is read and every chunk is
answered, cancelled when a cancel was asked and every chunk sent is answered."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from crmkit.unit_of_work import UnitOfWork

from crm_import import events
from crm_import.store import jobs as store
from crm_import.store import uploads as upload_store


async def _file_name(conn: asyncpg.Connection, job: Mapping[str, Any]) -> str | None:
    upload = await upload_store.get(conn, job["upload_id"])
    return upload["filename"] if upload else None


def _counters(job: Mapping[str, Any], file_name: str | None) -> dict[str, Any]:
    return {"job_id": str(job["id"]), "user_id": job["created_by"], "file_name": file_name, "status": job["status"],
            "total_rows": job["total_rows"], "processed_rows": job["processed_rows"], "created": job["created"],
            "updated": job["updated"], "failed": job["failed"], "duplicates_in_file": job["duplicates_in_file"]}


async def publish_progress(uow: UnitOfWork, job: Mapping[str, Any], *, file_name: str,
                           started: bool = False) -> None:
    """Every second of a running job: the worker knows the file's name."""
    model = events.ImportStarted if started else events.ImportProgressed
    await uow.publish(model(**_counters(job, file_name)), subject=str(job["id"]),
                      actor=job["created_by"])


async def publish_outcome(uow: UnitOfWork, job: Mapping[str, Any]) -> None:
    model = {"completed": events.ImportFinished, "failed": events.ImportFailed,
             "cancelled": events.ImportCancelled}[job["status"]]
    rows_failed = job["failed"] + job["duplicates_in_file"]
    await uow.publish(model(
        **_counters(job, await _file_name(uow.conn, job)), rows_ok=job["created"] + job["updated"],
        rows_failed=rows_failed, error=job["error"], finished_at=job["finished_at"],
        result_file_url=f"/api/v1/imports/{job['id']}/result.xlsx" if job["status"] != "failed" else None),
        subject=str(job["id"]), actor=job["created_by"])


async def end_if_done(uow: UnitOfWork, job: Mapping[str, Any]) -> asyncpg.Record | None:
    """Finish the job when nothing is left to wait for; the finished job, or None."""
    if job["status"] != "running":
        return None
    if not (job["file_done"] or job["cancel_requested"]) or await store.in_flight(uow.conn, job["id"]):
        return None
    status = "completed" if job["file_done"] and not job["cancel_requested"] else "cancelled"
    finished = await store.finish(uow.conn, job_id=job["id"], status=status)
    if finished is not None:
        await publish_outcome(uow, finished)
    return finished


async def fail(uow: UnitOfWork, job: Mapping[str, Any], error: str) -> asyncpg.Record | None:
    finished = await store.finish(uow.conn, job_id=job["id"], status="failed", error=error)
    if finished is not None:
        await publish_outcome(uow, finished)
    return finished
