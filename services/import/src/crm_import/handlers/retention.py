"""Retention: uploads and result files are deleted `retention_days` after nothing needs them (an
import of a million rows leaves ~110 MB of upload and a result file; a year of daily imports would
fill the disk). Every replica sweeps; SKIP LOCKED shares the work and the rows are marked in the
same statement, so two replicas never delete the same file twice. Files are deleted after the
commit (a crash in between leaves one file on disk, never a row pointing at a missing file).
`.part` files — uploads and result files whose writing a crash interrupted — go after a day."""
from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import FastAPI

from crmkit.background import poll_forever

from crm_import.store import uploads as upload_store

PARTIAL_FILE_AGE = timedelta(days=1)  # an upload or a result file still being written is younger


async def expire_once(pool: asyncpg.Pool, settings: Any, *, now: datetime | None = None) -> int:
    """One round: expire up to a page of uploads with their jobs' files; how many were expired."""
    before = (now or datetime.now(UTC)) - timedelta(days=settings.retention_days)
    expired = await upload_store.expire(pool, before=before)
    results = Path(settings.storage_dir) / "results"
    for row in expired:
        paths = [Path(row["path"]), *(p for job_id in row["job_ids"] for p in results.glob(f"{job_id}.*.xlsx"))]
        await asyncio.to_thread(_delete, paths)
    return len(expired)


def delete_partial_files(storage_dir: str | Path, *, older_than: timedelta = PARTIAL_FILE_AGE) -> int:
    """`.part` files left by an upload or a result write that a crash interrupted."""
    cutoff, deleted = time.time() - older_than.total_seconds(), 0
    for path in Path(storage_dir).rglob("*.part"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
    return deleted


def _delete(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


async def retention_sweeper(app: FastAPI) -> None:
    """Background task (ServiceSpec.background): expire what is due, then the partial files."""
    pool, settings = app.state.pool, app.state.settings

    async def step() -> int:
        expired = await expire_once(pool, settings)
        if not expired:
            await asyncio.to_thread(delete_partial_files, settings.storage_dir)
        return expired

    await poll_forever(step, idle_seconds=settings.retention_sweep_seconds, error_event="import_retention_error")
