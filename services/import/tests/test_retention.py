"""Retention against real PostgreSQL: uploads and result files are deleted once nothing needs them,
never while a job runs or soon after it ended; downloads of expired files answer 410; two replicas
sweeping at once expire each upload once; interrupted writes' `.part` files go after a day."""
from __future__ import annotations

import asyncio
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Gone
from crmkit.testing import temp_pool

from crm_import.app import MIGRATIONS
from crm_import.handlers import results, retention
from crm_import.handlers.imports import upload_preview

NOW = datetime.now(UTC)
IMPORTER = Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path="/r/", roles=frozenset({"sales"}))


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        yield p


async def upload(pool, storage: Path, *, age_days: float) -> tuple[uuid.UUID, Path]:
    upload_id = uuid.uuid4()
    path = storage / upload_id.hex
    path.write_bytes(b"name,phone\n")
    await pool.execute(
        "INSERT INTO uploads (id, created_by, filename, size_bytes, format, sha256, sheets, path, created_at)"
        " VALUES ($1, $2, 'a.csv', 11, 'csv', 'x', '[]', $3, $4)",
        upload_id, IMPORTER.user_id, str(path), NOW - timedelta(days=age_days))
    return upload_id, path


async def job(pool, storage: Path, upload_id: uuid.UUID, *, status: str, finished_days_ago: float | None) -> tuple[uuid.UUID, list[Path]]:
    job_id = uuid.uuid4()
    finished = NOW - timedelta(days=finished_days_ago) if finished_days_ago is not None else None
    await pool.execute(
        "INSERT INTO jobs (id, upload_id, created_by, fingerprint, sheet, start_row, fields, columns, status, finished_at)"
        " VALUES ($1, $2, $3, $4, 0, 2, '{phone}', '{2}', $5, $6)",
        job_id, upload_id, IMPORTER.user_id, uuid.uuid4().hex, status, finished)
    (storage / "results").mkdir(exist_ok=True)
    files = [storage / "results" / f"{job_id}.{lang}.xlsx" for lang in ("vi", "en")]
    for f in files:
        f.write_bytes(b"xlsx")
    return job_id, files


async def test_only_what_nothing_needs_expires_and_its_downloads_answer_410(pool, tmp_path):
    settings = SimpleNamespace(retention_days=7, storage_dir=str(tmp_path))
    old, old_path = await upload(pool, tmp_path, age_days=30)
    old_job, old_results = await job(pool, tmp_path, old, status="completed", finished_days_ago=20)
    running, running_path = await upload(pool, tmp_path, age_days=30)
    await job(pool, tmp_path, running, status="running", finished_days_ago=None)
    recent_end, recent_end_path = await upload(pool, tmp_path, age_days=30)
    await job(pool, tmp_path, recent_end, status="completed", finished_days_ago=1)
    fresh, fresh_path = await upload(pool, tmp_path, age_days=1)
    unused, unused_path = await upload(pool, tmp_path, age_days=8)

    assert await retention.expire_once(pool, settings) == 2
    assert not old_path.exists() and not any(f.exists() for f in old_results) and not unused_path.exists()
    assert running_path.exists() and recent_end_path.exists() and fresh_path.exists()
    assert await retention.expire_once(pool, settings) == 0

    with pytest.raises(Gone) as gone:
        await results.result_file(pool, settings, principal=IMPORTER, job_id=old_job, language="vi")
    assert gone.value.code == "import_files_expired"
    with pytest.raises(Gone) as gone:
        await upload_preview(pool, principal=IMPORTER, upload_id=unused, sheet=None, rows=20)
    assert gone.value.code == "upload_expired"
    assert await pool.fetchval("SELECT result_path IS NULL AND files_expired_at IS NOT NULL FROM jobs WHERE id = $1",
                               old_job)


async def test_two_replicas_sweeping_at_once_expire_each_upload_once(pool, tmp_path):
    settings = SimpleNamespace(retention_days=7, storage_dir=str(tmp_path))
    for _ in range(40):
        await upload(pool, tmp_path, age_days=10)
    counts = await asyncio.gather(*(retention.expire_once(pool, settings) for _ in range(4)))
    assert sum(counts) == 40
    assert await pool.fetchval("SELECT count(*) FROM uploads WHERE expired_at IS NULL") == 0


def test_partial_files_go_after_a_day(tmp_path):
    (tmp_path / "results").mkdir()
    stale, recent = tmp_path / "results" / "a.vi.x1.part", tmp_path / "b.part"
    stale.write_bytes(b"x")
    recent.write_bytes(b"x")
    day_and_a_bit = time.time() - 90_000
    os.utime(stale, (day_and_a_bit, day_and_a_bit))
    assert retention.delete_partial_files(tmp_path) == 1
    assert not stale.exists() and recent.exists()
