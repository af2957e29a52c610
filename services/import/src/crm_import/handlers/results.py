"""The result file of a finished job (written once from the uploaded file and the failures kept:
by the worker at the job's end in the importer's language, on download in another) and the
template."""
from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from crmkit import i18n
from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Gone, NotFound

from crm_import.domain.jobs import FINISHED, may_see
from crm_import.files import read_rows
from crm_import.handlers.uploaded import file_info, limits_of
from crm_import.result_files import group_failures, write_results, write_template
from crm_import.store import configuration as config_store
from crm_import.store import jobs as store
from crm_import.store import uploads as upload_store


async def result_file(pool: asyncpg.Pool, settings: Any, *, principal: Principal, job_id: uuid.UUID,
                      language: str) -> tuple[Path, str]:
    job = await store.get(pool, job_id)
    if not may_see(job, principal):
        raise NotFound()
    assert job is not None
    if job["status"] not in FINISHED:
        raise Conflict("import_not_finished", params={"status": job["status"]})
    if job["files_expired_at"] is not None:
        raise Gone("import_files_expired", params={"days": settings.retention_days})
    upload = await upload_store.get(pool, job["upload_id"])
    assert upload is not None
    path = await write_result_file(pool, settings, job=job, upload=upload, language=language)
    stem = Path(upload["filename"]).stem[:100] or "import"
    return path, f"{stem}-{'result' if language == 'en' else 'ket-qua'}.xlsx"


async def write_result_file(pool: asyncpg.Pool, settings: Any, *, job: asyncpg.Record, upload: asyncpg.Record,
                            language: str) -> Path:
    """The job's result file in `language`. The worker writes every language's at the job's end, in
    one pass over the upload (re-reading a million rows takes longer than a download may wait); a
    download finds it there, or writes the missing ones (jobs that ended before, a crash)."""
    directory = Path(settings.storage_dir) / "results"
    directory.mkdir(parents=True, exist_ok=True)
    paths = {lang: directory / f"{job['id']}.{lang}.xlsx" for lang in i18n.SUPPORTED}
    missing = {lang: path for lang, path in paths.items() if not path.is_file()}
    if missing:
        failures = group_failures(await store.failures(pool, job["id"]))
        headers = await _headers(upload, job, settings)
        nonce = uuid.uuid4().hex[:6]
        parts = {lang: path.with_suffix(f".{nonce}.part") for lang, path in missing.items()}
        rows = read_rows(Path(upload["path"]), file_info(upload), sheet=job["sheet"], start_row=job["start_row"],
                         limits=limits_of(settings))
        await asyncio.to_thread(write_results, parts, rows=rows, failures=failures, headers=headers,
                                field_columns=dict(zip(job["fields"], job["columns"])))
        for lang, part in parts.items():
            keep_first(part, missing[lang])
    return paths[language]


def keep_first(part: Path, path: Path) -> None:
    """`part` becomes `path` unless another writer got there first. Never replaced once there: two
    downloads that found it missing both write one (an xlsx differs byte for byte from run to run),
    and a replacement between a download's size check and its open sent a file shorter than its
    Content-Length (a 502 at the gateway; tests/test_bola_matrix.py asks for it 13 times at once)."""
    with contextlib.suppress(FileExistsError):
        os.link(part, path)
    part.unlink()


async def _headers(upload: asyncpg.Record, job: asyncpg.Record, settings: Any) -> list[str | None]:
    """The header row above the data (the row before `start_row`), else none."""
    if job["start_row"] <= 1:
        return []
    rows = read_rows(Path(upload["path"]), file_info(upload), sheet=job["sheet"], start_row=job["start_row"] - 1,
                     limits=limits_of(settings))

    def first() -> list[str | None]:
        for number, cells in rows:
            return cells if number == job["start_row"] - 1 else []
        return []

    return await asyncio.to_thread(first)


async def template(pool: asyncpg.Pool, *, path: Path, language: str) -> None:
    attributes = [dict(r) for r in await config_store.attributes(pool)]
    statuses = [r["name"] for r in await config_store.items(pool, "status")]
    await asyncio.to_thread(write_template, path, attributes=attributes, statuses=statuses, language=language)
