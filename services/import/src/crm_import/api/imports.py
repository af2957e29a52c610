"""The import API (M-1 … M-5) under /api/v1/imports: uploads and their preview, jobs, their live
progress (SSE), cancel, the result file and the template."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from crmkit import i18n, uploads
from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool, Settings
from crmkit.domain_errors import FieldError, Invalid
from crmkit.idempotency import Idempotent

from crm_import.domain import fields as field_rules
from crm_import.domain.jobs import FINISHED
from crm_import.handlers import imports as handlers
from crm_import.handlers import results

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}


class SheetPublic(BaseModel):
    index: int
    name: str


class UploadPublic(BaseModel):
    id: uuid.UUID
    filename: str
    size_bytes: int
    format: Literal["xlsx", "xls", "ods", "csv"]
    encoding: str | None = Field(None, description="csv: the text encoding found")
    sha256: str
    sheets: list[SheetPublic]
    created_at: datetime


class NewGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, max_length=200, description="required: 422 group_name_required without it")
    description: str | None = Field(None, max_length=2000)


Column = Annotated[int | str, Field(description="1-based number, letter (\"C\") or header text")]


class ImportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    upload_id: uuid.UUID
    sheet: int | None = Field(None, ge=0, description="the sheet's index (default: the first)")
    start_row: int = Field(2, ge=1, le=1_048_576, description="the first data row (1-based)")
    mapping: dict[str, Column] | None = Field(None, max_length=200, description=(
        "field → column; fields: " + ", ".join(field_rules.BUILT_IN) + ", or attributes.<key>"))
    template: bool = Field(False, description="a filled template (GET /imports/template.xlsx): no mapping needed")
    dry_run: bool = Field(False, description="check every row and write the result file; no customer is written")
    group_id: uuid.UUID | None = None
    new_group: NewGroup | None = None
    lead_package_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = Field(None, description="default: the importer; else someone within reach")


class ImportPublic(BaseModel):
    id: uuid.UUID
    status: Literal["queued", "running", "completed", "failed", "cancelled"]
    upload_id: uuid.UUID
    file_name: str | None = None
    sheet: int
    start_row: int
    mapping: dict[str, int]
    template: bool
    dry_run: bool
    group_id: uuid.UUID | None = None
    lead_package_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    created_by: uuid.UUID
    total_rows: int | None = Field(None, description="known once the file is read to its end")
    processed_rows: int
    created: int
    updated: int
    failed: int
    duplicates_in_file: int
    legacy_text_converted: int = Field(description="cells converted from the TCVN3 or VNI encodings")
    cancel_requested: bool
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result_file_url: str | None = None


def _language(request: Request) -> str:
    return i18n.language(request.headers.get("accept-language"))


def _job(job: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(ImportPublic.model_validate(job).model_dump(mode="json"), status_code=status_code,
                        headers={"Location": f"/api/v1/imports/{job['id']}"})


@router.post("/uploads", status_code=201, response_model=UploadPublic, openapi_extra={"requestBody": {
    "required": True, "description": "the file: a multipart/form-data part `file`, or the raw body with ?filename=",
    "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                   "properties": {"file": {"type": "string", "format": "binary"}}}},
                "*/*": {"schema": {"type": "string", "format": "binary"}}}}},
    responses={413: {"description": "file_too_large"}, 415: {"description": "unsupported_format"},
               422: {"description": "zip_bomb, xml_entities, too_many_rows, malformed_csv, empty_file"}})
async def upload_file(request: Request, pool: DbPool, settings: Settings, principal: CurrentPrincipal,
                      filename: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    """Stream a spreadsheet to storage (never whole in memory) and say what it is: format, text
    encoding, sheets. Refused, with nothing kept: over the size limit, not a spreadsheet, a zip bomb,
    XML entities, a sheet over 1,048,576 rows, a malformed CSV."""
    body = request.stream()
    content_type = request.headers.get("content-type")
    if uploads.is_multipart(content_type):
        part = await uploads.open_file(body, content_type)
        chunks, name = part.chunks, filename or part.filename
    else:
        chunks, name = body, filename
    upload = await handlers.receive_upload(pool, settings, principal=principal, filename=name or "upload",
                                           chunks=chunks)
    return JSONResponse(UploadPublic.model_validate(upload).model_dump(mode="json"), status_code=201,
                        headers={"Location": f"/api/v1/imports/uploads/{upload['id']}"})


@router.get("/uploads/{upload_id}/preview", responses=NOT_FOUND)
async def preview_upload(upload_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                         sheet: Annotated[int | None, Query(ge=0)] = None,
                         rows: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
    """The first rows as the file shows them, the detected header row, the columns with their
    letters and headers: what the mapping screen needs."""
    return await handlers.upload_preview(pool, principal=principal, upload_id=upload_id, sheet=sheet, rows=rows)


@router.get("/template.xlsx", response_class=FileResponse, responses={200: {"content": {XLSX: {}}}})
async def template(request: Request, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """The import template from the attributes defined now: headers, a sample row, drop-downs for
    gender, province (the 34 units of 2025), status and select attributes."""
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    await results.template(pool, path=path, language=_language(request))
    name = "mau-nhap-khach-hang.xlsx" if _language(request) == "vi" else "customer-import-template.xlsx"
    return FileResponse(path, media_type=XLSX, filename=name, background=_delete(path))


@router.post("", status_code=202, response_model=ImportPublic, responses={
    200: {"description": "the same import was asked before: that job"}, **NOT_FOUND,
    422: {"description": "group_name_required, validation_error (unknown field or column, a column twice, no phone)"}})
async def create_import(body: ImportCreate, request: Request, principal: CurrentPrincipal,
                        once: Idempotent) -> Response:
    """Queue an import of an uploaded file (poll `Location`, or follow `/events`). The same file,
    mapping and target again returns the first job (200), unless it failed or was cancelled."""
    if body.mapping is None and not body.template:
        raise Invalid(FieldError("mapping", "required"))
    job, created = await handlers.create_import(
        once.pool, principal=principal, language=_language(request), upload_id=body.upload_id, sheet=body.sheet,
        start_row=body.start_row, mapping=body.mapping, template=body.template, dry_run=body.dry_run,
        group_id=body.group_id, new_group=body.new_group.model_dump() if body.new_group else None,
        lead_package_id=body.lead_package_id, owner_id=body.owner_id)
    return once.answer(_job(job, 202 if created else 200))


@router.get("", response_model=list[ImportPublic])
async def list_imports(pool: DbPool, principal: CurrentPrincipal,
                       limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    """My jobs; a manager's unit's; an admin's all — newest first."""
    return await handlers.list_imports(pool, principal=principal, limit=limit)


@router.get("/{job_id}", response_model=ImportPublic, responses=NOT_FOUND)
async def get_import(job_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    return _job(await handlers.get_import(pool, principal=principal, job_id=job_id))


@router.post("/{job_id}/cancel", response_model=ImportPublic, responses={
    **NOT_FOUND, 409: {"description": "import_not_cancellable (already ended)"}})
async def cancel_import(job_id: uuid.UUID, principal: CurrentPrincipal, once: Idempotent) -> Response:
    """Stop at the next chunk boundary: rows already applied stay (`processed_rows` says how many)."""
    return once.answer(_job(await handlers.cancel_import(once.pool, principal=principal, job_id=job_id)))


@router.get("/{job_id}/events", response_class=StreamingResponse, responses={
    200: {"content": {"text/event-stream": {}},
          "description": "`event: progress` (the job) every half second while it runs, then `event: end`"},
    **NOT_FOUND})
async def job_events(job_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> StreamingResponse:
    """Server-Sent Events of the job's progress until it ends."""
    job = await handlers.get_import(pool, principal=principal, job_id=job_id)  # 404 before the stream opens

    async def frames() -> AsyncIterator[bytes]:
        """The job every half second. (Sending an unchanged job only once a second had passed made
        the gap a second plus the tick's own time: 1.05-1.12 s, 10 times in a million-row import.)"""
        nonlocal job
        while True:
            job = await handlers.job_progress(pool, job)
            yield f"event: progress\ndata: {ImportPublic.model_validate(job).model_dump_json()}\n\n".encode()
            if job["status"] in FINISHED:
                yield f"event: end\ndata: {orjson.dumps({'status': job['status']}).decode()}\n\n".encode()
                return
            await asyncio.sleep(0.5)

    return StreamingResponse(frames(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/{job_id}/result.xlsx", response_class=FileResponse, responses={
    200: {"content": {XLSX: {}}}, **NOT_FOUND, 409: {"description": "import_not_finished"}})
async def result_file(job_id: uuid.UUID, request: Request, pool: DbPool, settings: Settings,
                      principal: CurrentPrincipal) -> Response:
    """Every failed row with its original values, the failing cells highlighted, the reason per
    cell, in the caller's language."""
    path, name = await results.result_file(pool, settings, principal=principal, job_id=job_id,
                                           language=_language(request))
    return FileResponse(path, media_type=XLSX, filename=name, headers={"Cache-Control": "private, no-store"})


def _delete(path: Path) -> BackgroundTask:
    return BackgroundTask(path.unlink, missing_ok=True)
