"""Uploads and import jobs (M-1 … M-5), called by the HTTP API.

* `receive_upload` streams the file to disk (never whole in memory), then decides what it is from
  its content and refuses hostile files (files.formats.sniff) — nothing is kept of a refused file.
* `create_import` resolves the mapping (a column as a number, a letter or a header text), checks
  the target, and queues the job; the same file, mapping and target again is the same job (M-6).
* The worker (handlers.worker) runs it; `cancel_import` asks it to stop at a chunk boundary.
"""
from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, DomainError, FieldError, Gone, Invalid, NotFound, TooLarge, UnsupportedType
from crmkit.unit_of_work import UnitOfWork

from crm_import.domain import fields as field_rules
from crm_import.domain.jobs import FINISHED, fingerprint, may_see, new_group_id, public_job
from crm_import.files import ColumnError, FileRejected, preview, resolve_column, sniff, store_upload
from crm_import.handlers.lifecycle import publish_outcome
from crm_import.handlers.problems import SOURCE
from crm_import.handlers.uploaded import file_info, limits_of
from crm_import.store import configuration as config_store
from crm_import.store import jobs as store
from crm_import.store import uploads as upload_store


def rejected(error: FileRejected) -> DomainError:
    """A refused file in the domain's words: 413 too large, 415 not a spreadsheet, else 422."""
    kind = {413: TooLarge, 415: UnsupportedType}.get(error.status)
    return kind(error.code) if kind else Invalid(code=error.code)


def public_upload(upload: asyncpg.Record) -> dict[str, Any]:
    sheets = file_info(upload).sheets
    return {"id": upload["id"], "filename": upload["filename"], "size_bytes": upload["size_bytes"],
            "format": upload["format"], "encoding": upload["encoding"], "sha256": upload["sha256"],
            "sheets": [{"index": sheet.index, "name": sheet.name} for sheet in sheets],
            "created_at": upload["created_at"]}


async def receive_upload(pool: asyncpg.Pool, settings: Any, *, principal: Principal, filename: str,
                         chunks: Any) -> dict[str, Any]:
    limits = limits_of(settings)
    directory = Path(settings.storage_dir) / "uploads"
    try:
        stored = await store_upload(chunks, directory=directory, limits=limits)
    except FileRejected as error:
        raise rejected(error) from error
    try:
        info = await asyncio.to_thread(sniff, stored.path, filename=filename, limits=limits)
    except FileRejected as error:
        with contextlib.suppress(FileNotFoundError):
            stored.path.unlink()
        raise rejected(error) from error
    upload = await upload_store.insert(pool, values={
        "id": uuid.uuid4(), "created_by": principal.user_id, "filename": filename[:255], "size_bytes": stored.size_bytes,
        "format": info.format, "encoding": info.encoding, "delimiter": info.delimiter, "sha256": stored.sha256,
        "sheets": [{"index": sheet.index, "name": sheet.name} for sheet in info.sheets], "path": str(stored.path)})
    return public_upload(upload)


async def _upload(pool: asyncpg.Pool | asyncpg.Connection, principal: Principal, upload_id: uuid.UUID) -> asyncpg.Record:
    """Its uploader's (or an admin's); 404 for anyone else; 410 once its file is deleted (retention)."""
    upload = await upload_store.get(pool, upload_id)
    if upload is None or not (upload["created_by"] == principal.user_id or principal.is_admin):
        raise NotFound()
    if upload["expired_at"] is not None:
        raise Gone("upload_expired")
    return upload


def _sheet(upload: asyncpg.Record, sheet: int | None) -> int:
    indexes = [s.index for s in file_info(upload).sheets]
    if sheet is None:
        return indexes[0] if indexes else 0
    if sheet not in indexes:
        raise Invalid(code="sheet_not_found")
    return sheet


async def upload_preview(pool: asyncpg.Pool, *, principal: Principal, upload_id: uuid.UUID, sheet: int | None,
                         rows: int) -> dict[str, Any]:
    upload = await _upload(pool, principal, upload_id)
    index = _sheet(upload, sheet)
    try:
        shown = await asyncio.to_thread(preview, Path(upload["path"]), file_info(upload), sheet=index, rows=rows)
    except FileRejected as error:
        raise rejected(error) from error
    return {"sheet": shown.sheet, "detected_header_row": shown.detected_header_row,
            "columns": [{"index": c.index, "letter": c.letter, "header": c.header} for c in shown.columns],
            "rows": [{"row_number": r.row_number, "cells": r.cells} for r in shown.rows]}


def _template_mapping(headers: list[str | None], attribute_names: dict[str, str]) -> tuple[list[str], list[int]]:
    """The template's columns found by their titles (Vietnamese or English, any case or accents)."""
    titles: dict[str, str] = {}
    for field, (vi, en) in field_rules.BUILT_IN.items():
        titles[vi] = titles[en] = field
    for key, name in attribute_names.items():
        titles[name] = f"{field_rules.ATTRIBUTE_PREFIX}{key}"
    fields, columns = [], []
    for title, field in titles.items():
        with contextlib.suppress(ColumnError):
            column = resolve_column(title, headers)
            if field not in fields and column not in columns:
                fields.append(field)
                columns.append(column)
    missing = [field_rules.BUILT_IN[f][0] for f in field_rules.REQUIRED if f not in fields]
    if missing:
        raise Invalid(FieldError("upload_id", "template_headers", {"columns": ", ".join(missing)}))
    return fields, columns


def _resolve_mapping(mapping: dict[str, int | str], headers: list[str | None], width: int,
                     attribute_keys: set[str]) -> tuple[list[str], list[int]]:
    """(fields, 1-based columns); every problem at once: an unknown field, a column the file does
    not have (past its last used column), a column twice, no phone."""
    unknown = field_rules.unknown_fields(list(mapping), attribute_keys)
    problems = [FieldError(f"mapping.{field}", "unknown_field", {"field": field[:100]}) for field in unknown]
    fields, columns = [], []
    for field, ref in mapping.items():
        if field in unknown:
            continue
        try:
            column = resolve_column(ref, headers)
        except ColumnError:
            column = 0
        if not 1 <= column <= width:
            problems.append(FieldError(f"mapping.{field}", "unknown_column", {"column": str(ref)[:100]}))
            continue
        if column in columns:
            problems.append(FieldError(f"mapping.{field}", "duplicate_column", {"column": str(ref)[:100]}))
        fields.append(field)
        columns.append(column)
    if "phone" not in mapping:
        problems.append(FieldError("mapping.phone", "required_field", {"field": "phone"}))
    if problems:
        raise Invalid(*problems)
    return fields, columns


async def _owner_within_reach(conn: asyncpg.Connection, principal: Principal, owner_id: uuid.UUID | None) -> None:
    """The importer, anyone for an admin, a user of a manager's subtree; 422 otherwise."""
    if owner_id is None or owner_id == principal.user_id:
        return
    owner = await conn.fetchrow("SELECT unit_path, active FROM directory_users WHERE id = $1", owner_id)
    reachable = owner is not None and owner["active"] and (
        principal.is_admin or (principal.is_manager and (owner["unit_path"] or "").startswith(principal.unit_path)))
    if not reachable:
        raise Invalid(FieldError("owner_id", "owner_not_allowed"))


async def create_import(pool: asyncpg.Pool, *, principal: Principal, language: str, upload_id: uuid.UUID,
                        sheet: int | None, start_row: int, mapping: dict[str, int | str] | None, template: bool,
                        dry_run: bool, group_id: uuid.UUID | None, new_group: dict[str, Any] | None,
                        lead_package_id: uuid.UUID | None, owner_id: uuid.UUID | None) -> tuple[dict[str, Any], bool]:
    """(the job, created now): a second request for the same import gets the first job."""
    if new_group is not None and not (new_group.get("name") or "").strip():
        raise Invalid(FieldError("new_group.name", "group_name_required"), code="group_name_required")
    async with pool.acquire() as conn:
        upload = await _upload(conn, principal, upload_id)
        index = _sheet(upload, sheet)
        await _owner_within_reach(conn, principal, owner_id)
        attributes = {r["key"]: r["name"] for r in await config_store.attributes(conn)}
        try:
            shown = await asyncio.to_thread(preview, Path(upload["path"]), file_info(upload), sheet=index, rows=20)
        except FileRejected as error:
            raise rejected(error) from error
        header_row = 1 if template else shown.detected_header_row
        headers = next((r.cells for r in shown.rows if r.row_number == header_row), [])
        if template:
            fields, columns = _template_mapping(headers, attributes)
            start_row = 2
        else:
            fields, columns = _resolve_mapping(mapping or {}, headers, len(shown.columns), set(attributes))
        group = {"name": new_group["name"].strip()[:200], "description": new_group.get("description")} \
            if new_group else None
        job_id = uuid.uuid4()
        if group is not None:  # the customers service creates it under this id with the first chunk
            group_id = new_group_id(job_id)
        key = fingerprint(
            sha256=upload["sha256"], sheet=index, start_row=start_row, fields=fields, columns=columns,
            template=template, dry_run=dry_run, importer_id=principal.user_id, owner_id=owner_id,
            group_id=None if group else group_id, new_group=group, lead_package_id=lead_package_id)
        values: dict[str, Any] = {
            "id": job_id, "upload_id": upload_id, "created_by": principal.user_id,
            "unit_path": principal.unit_path or None, "language": language, "sheet": index, "start_row": start_row,
            "fields": fields, "columns": columns, "template": template, "dry_run": dry_run, "group_id": group_id,
            "new_group": group, "lead_package_id": lead_package_id, "owner_id": owner_id, "next_row": None,
            "fingerprint": key,
        }
        job = await store.insert(conn, values=values)
        created = job is not None
        if job is None:
            job = await store.live_by_fingerprint(conn, key)
            assert job is not None
        return public_job(job, upload["filename"]), created


async def get_import(pool: asyncpg.Pool, *, principal: Principal, job_id: uuid.UUID) -> dict[str, Any]:
    job = await store.get(pool, job_id)
    if not may_see(job, principal):
        raise NotFound()
    assert job is not None
    return await _public(pool, job)


async def job_progress(pool: asyncpg.Pool, job: dict[str, Any]) -> dict[str, Any]:
    """The job as `get_import` gave it, with its counters read again (its progress stream)."""
    current = await store.get(pool, job["id"])
    assert current is not None  # jobs are not deleted
    return public_job(current, job["file_name"])


async def _public(pool: asyncpg.Pool, job: asyncpg.Record) -> dict[str, Any]:
    return public_job(job, (await upload_store.file_names(pool, [job["upload_id"]])).get(job["upload_id"]))


async def list_imports(pool: asyncpg.Pool, *, principal: Principal, limit: int) -> list[dict[str, Any]]:
    jobs = await store.list_visible(pool, principal, limit=limit)
    names = await upload_store.file_names(pool, [job["upload_id"] for job in jobs])
    return [public_job(job, names.get(job["upload_id"])) for job in jobs]


async def cancel_import(pool: asyncpg.Pool, *, principal: Principal, job_id: uuid.UUID) -> dict[str, Any]:
    """A queued job is cancelled at once; a running one stops at its next chunk boundary."""
    async with pool.acquire() as conn, conn.transaction():
        job = await store.get(conn, job_id)
        if not may_see(job, principal):
            raise NotFound()
        assert job is not None
        if job["status"] in FINISHED:
            raise Conflict("import_not_cancellable", params={"status": job["status"]})
        if not (job["created_by"] == principal.user_id or principal.is_admin or principal.is_manager):
            raise NotFound()
        async with UnitOfWork.joining(conn, source=SOURCE) as uow:
            cancelled = await store.cancel_queued(conn, job_id)
            if cancelled is not None:
                await publish_outcome(uow, cancelled)
                job = cancelled
            else:
                job = await store.request_cancel(conn, job_id) or job
    return await _public(pool, job)
