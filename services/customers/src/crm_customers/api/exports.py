"""Export jobs (C-13): POST /api/v1/customers/exports, GET /exports/{id}, GET /exports/{id}/file."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from crmkit import i18n
from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool, Settings
from crmkit.idempotency import Idempotent

from crm_customers.domain.cells import content_disposition
from crm_customers.domain.export_columns import BUILT_IN
from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers import exports as handlers

router = APIRouter(prefix="/api/v1/customers/exports", tags=["customer exports"])


class ExportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["csv", "xlsx"]
    filter: CustomerFilter = Field(default_factory=CustomerFilter,
                                   description="the list's filter; the file holds what the caller may see of it")
    columns: list[str] | None = Field(None, max_length=200, description=(
        "column keys in order (default: every built-in column, then every attribute as `attr.<key>`): "
        + ", ".join(c.key for c in BUILT_IN)),
        json_schema_extra={"items": {"type": "string", "enum": [c.key for c in BUILT_IN]}})


class ExportJob(BaseModel):
    id: uuid.UUID
    status: Literal["queued", "running", "done", "failed", "expired"]
    format: Literal["csv", "xlsx"]
    row_count: int
    columns: list[str]
    filter: dict[str, Any]
    created_by: uuid.UUID
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    expires_at: datetime | None = Field(None, description="when the file is deleted (7 days after it was made)")
    file_name: str | None = None
    file_size: int | None = None
    error: str | None = None
    file_url: str | None = Field(None, description="when done: where to download the file")


def _job_response(job: dict[str, Any], status_code: int = 200, headers: dict[str, Any] | None = None) -> JSONResponse:
    body = ExportJob.model_validate(job).model_dump(mode="json")
    if job["status"] == "done":
        body["file_url"] = f"/api/v1/customers/exports/{job['id']}/file"
    return JSONResponse(body, status_code=status_code, headers=headers)


@router.post("", status_code=202, response_model=ExportJob, responses={422: {"description": "validation_error"}})
async def create_export(body: ExportCreate, request: Request, settings: Settings, principal: CurrentPrincipal,
                        once: Idempotent) -> Response:
    """Queue an export of the filter to CSV (UTF-8 with BOM) or XLSX; poll `Location` until `done`.
    Formula-like cells are neutralised with a leading `'` (see the service's README)."""
    job = await handlers.create_export(
        once.pool, principal=principal, format=body.format, flt=body.filter, columns=body.columns,
        language=i18n.language(request.headers.get("accept-language")), retention_days=settings.export_retention_days)
    return once.answer(_job_response(job, 202, {"Location": f"/api/v1/customers/exports/{job['id']}"}))


@router.get("", response_model=list[ExportJob])
async def list_exports(pool: DbPool, settings: Settings, principal: CurrentPrincipal,
                       limit: int = Query(50, ge=1, le=200)) -> list[dict[str, Any]]:
    """The caller's own exports, newest first."""
    return await handlers.list_exports(pool, principal=principal, limit=limit,
                                       retention_days=settings.export_retention_days)


@router.get("/{export_id}", response_model=ExportJob, responses={404: {"description": "not_found"}})
async def get_export(export_id: uuid.UUID, pool: DbPool, settings: Settings, principal: CurrentPrincipal) -> Response:
    """Only its creator or an admin; 404 for anyone else."""
    job = await handlers.get_export(pool, principal=principal, export_id=export_id,
                                    retention_days=settings.export_retention_days)
    return _job_response(job)


@router.get("/{export_id}/file", response_class=FileResponse, responses={
    200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
    404: {"description": "not_found"}, 409: {"description": "export_not_ready"},
    410: {"description": "export_expired"}})
async def download_export(export_id: uuid.UUID, pool: DbPool, settings: Settings, principal: CurrentPrincipal) -> Response:
    path, name, media_type = await handlers.export_file(pool, principal=principal,
                                                        export_id=export_id, retention_days=settings.export_retention_days)
    return FileResponse(path, media_type=media_type, headers={
        "Content-Disposition": content_disposition(name), "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff"})
