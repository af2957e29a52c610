"""Attachments (I-5). Upload is a raw body (`Content-Type` of the file, whatever it is: the type
is sniffed), the name in `?filename=` or a `Content-Disposition` header; or a `multipart/form-data`
form whose part `file` is the file (its name the part's filename unless `?filename=` is given,
other fields ignored). Either way read chunk by chunk (crmkit.uploads for the form)."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from crmkit import uploads
from crmkit.auth import CurrentPrincipal, Principal
from crmkit.dependencies import DbPool, Settings
from crmkit.domain_errors import DomainError
from crmkit.errors import ProblemError, problem_of_domain_error
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page

from crm_interactions import storage
from crm_interactions.domain import attachments as rules
from crm_interactions.handlers import attachments as handlers

router = APIRouter(tags=["attachments"])
DRAIN_BYTES = 1024 * 1024  # read (and drop) at most this much of a refused upload, so proxies get the answer


class AttachmentPublic(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    parent_type: Literal["support_ticket", "comment"] | None = Field(
        None, description="set when the file is on one of the customer's support tickets or comments")
    parent_id: uuid.UUID | None = None
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: uuid.UUID
    created_at: datetime


RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
UPLOAD_BODY = {"requestBody": {
    "required": True,
    "description": "the file's bytes (at most CRM_INTERACTIONS_ATTACHMENT_MAX_BYTES, default 20 MiB): the raw body,"
                   " or a multipart/form-data form with the file in its part `file`",
    "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "format": "binary"}}}},
                "*/*": {"schema": {"type": "string", "format": "binary"}}}}}


async def _drain(body: AsyncIterator[bytes]) -> bool:
    """Read what is left of a refused body, up to DRAIN_BYTES; False when more remains."""
    read = 0
    async for chunk in body:
        read += len(chunk)
        if read > DRAIN_BYTES:
            return False
    return True


UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES, 400: {"description": "invalid_multipart (a malformed form)"},
    413: {"description": "attachment_too_large; payload_too_large (a form's other fields past 64 KiB)"},
    415: {"description": "attachment_type_not_allowed (executables), unsupported_media_type (multipart other than"
                         " form-data)"},
    422: {"description": "validation_error (empty file, file name, a form without its `file` part or with two)"}}
# what domain.attachments.clean_filename keeps: not blank, no path separator, not . or ..
FILE_NAME = {"maxLength": rules.MAX_FILENAME, "pattern": r"^(?!\s*\.{1,2}\s*$)[^/\\]*[^\s/\\][^/\\]*$"}
FileName = Annotated[str | None, Query(description="the file's name (else Content-Disposition's)",
                                       json_schema_extra=FILE_NAME)]
Disposition = Annotated[str | None, Header(description="`attachment; filename*=UTF-8''…`")]


async def _file_of(request: Request, body: AsyncIterator[bytes], filename: str | None,
                   content_disposition: str | None) -> tuple[AsyncIterator[bytes], str | None, int | None]:
    """The file's bytes, its name (`?filename=` first) and the least it weighs (from Content-Length):
    the raw body, or the part `file` of a multipart/form-data form."""
    length = request.headers.get("content-length")
    declared_length = int(length) if length and length.strip().isdigit() else None
    content_type = request.headers.get("content-type")
    if uploads.is_multipart(content_type):
        part = await uploads.open_file(body, content_type)
        return (part.chunks, filename if filename is not None else part.filename,
                uploads.file_size_at_least(declared_length))
    if (content_type or "").lower().startswith("multipart/"):
        raise ProblemError(415, "unsupported_media_type")
    return body, filename if filename is not None else rules.filename_from_disposition(content_disposition), \
        declared_length


async def _upload(request: Request, pool: DbPool, settings: Any, principal: Principal, filename: str | None,
                  content_disposition: str | None, **target: Any) -> Response:
    """Stream the body's file into an attachment on `target` (a customer, or a parent record)."""
    body = request.stream()
    try:
        chunks, filename, declared_length = await _file_of(request, body, filename, content_disposition)
        row = await handlers.upload(
            pool, storage.for_settings(settings), principal=principal, **target,
            filename=filename, chunks=chunks, max_bytes=settings.attachment_max_bytes,
            declared_length=declared_length)
    except (ProblemError, DomainError) as refused:
        # the answer to a refused upload closes the connection when the rest of the body is not read
        problem = refused if isinstance(refused, ProblemError) else problem_of_domain_error(refused)
        if problem.status in (400, 413, 415, 422) and not await _drain(body):
            problem.headers["Connection"] = "close"
        if problem is refused:
            raise
        raise problem from refused
    return Response(AttachmentPublic.model_validate(row).model_dump_json(), status_code=201,
                    media_type="application/json", headers={"Location": f"/api/v1/attachments/{row['id']}"})


async def _page(pool: DbPool, principal: Principal, limit: int, cursor: str | None, **target: Any) -> Page[AttachmentPublic]:
    rows, next_cursor = await handlers.list_attachments(pool, principal=principal, **target,
                                                        limit=limit, cursor=cursor)
    return Page[AttachmentPublic](items=[AttachmentPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/api/v1/customers/{customer_id}/attachments", status_code=201, response_model=AttachmentPublic,
             openapi_extra=UPLOAD_BODY, responses=UPLOAD_RESPONSES)
async def upload_attachment(customer_id: uuid.UUID, request: Request, pool: DbPool, settings: Settings,
                            principal: CurrentPrincipal, filename: FileName = None, content_disposition: Disposition = None) -> Response:
    """Attach a file to a customer the caller may see. Streamed to storage: 413
    `attachment_too_large` as soon as it passes the limit, nothing stored; executables 415."""
    return await _upload(request, pool, settings, principal, filename, content_disposition, customer_id=customer_id)


@router.get("/api/v1/customers/{customer_id}/attachments", response_model=Page[AttachmentPublic],
            responses=RESPONSES)
async def list_attachments(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                           limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[AttachmentPublic]:
    """The customer's files, those on its support tickets and comments included, newest first."""
    return await _page(pool, principal, limit, cursor, customer_id=customer_id)


def _parent_routes(path: str, parent_type: str, who: str) -> None:
    """POST and GET `/{path}/{id}/attachments`: the files of one support ticket or comment."""

    @router.post(f"/api/v1/{path}/{{parent_id}}/attachments", status_code=201, response_model=AttachmentPublic,
                 openapi_extra=UPLOAD_BODY, responses={**UPLOAD_RESPONSES, 403: {"description": who}},
                 name=f"upload_{parent_type}_attachment", summary=f"Attach a file to a {parent_type.replace('_', ' ')}")
    async def upload_to_parent(parent_id: uuid.UUID, request: Request, pool: DbPool, settings: Settings,
                               principal: CurrentPrincipal, filename: FileName = None,
                               content_disposition: Disposition = None) -> Response:
        """Same body, limits and refusals as a file on a customer."""
        return await _upload(request, pool, settings, principal, filename, content_disposition, parent_type=parent_type,
                             parent_id=parent_id)

    @router.get(f"/api/v1/{path}/{{parent_id}}/attachments", response_model=Page[AttachmentPublic],
                responses=RESPONSES, name=f"list_{parent_type}_attachments",
                summary=f"Files of a {parent_type.replace('_', ' ')}")
    async def list_of_parent(parent_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                             limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[AttachmentPublic]:
        return await _page(pool, principal, limit, cursor, parent_type=parent_type, parent_id=parent_id)


_parent_routes("support-tickets", "support_ticket", "not_editable: only who may edit the ticket adds files")
_parent_routes("comments", "comment", "not_comment_author: only its author adds files to a comment")


@router.get("/api/v1/attachments/{attachment_id}", response_model=AttachmentPublic, responses=RESPONSES)
async def get_attachment(attachment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> AttachmentPublic:
    return AttachmentPublic.model_validate(
        await handlers.get(pool, principal=principal, attachment_id=attachment_id))


@router.get("/api/v1/attachments/{attachment_id}/content", responses={
    **RESPONSES, 200: {"description": "the file, with its sniffed type", "content": {"*/*": {}}}})
async def download_attachment(attachment_id: uuid.UUID, pool: DbPool, settings: Settings,
                              principal: CurrentPrincipal) -> StreamingResponse:
    """The file, streamed, as an attachment (`Content-Disposition` with the UTF-8 name)."""
    row = await handlers.get(pool, principal=principal, attachment_id=attachment_id,
                             with_key=True)
    reader = storage.for_settings(settings).open_reader(row["storage_key"])
    try:
        first = await reader.__anext__()
    except FileNotFoundError:
        raise ProblemError(404, "not_found") from None
    except StopAsyncIteration:
        first = b""

    async def content() -> AsyncIterator[bytes]:
        yield first
        async for chunk in reader:
            yield chunk

    return StreamingResponse(content(), media_type=row["content_type"], headers={
        "Content-Length": str(row["size"]), "Content-Disposition": rules.content_disposition(row["filename"]),
        "X-Content-Type-Options": "nosniff", "ETag": f'"{row["sha256"]}"', "Cache-Control": "private, no-cache"})


@router.delete("/api/v1/attachments/{attachment_id}", status_code=204, responses={
    **RESPONSES, 403: {"description": "attachment_not_deletable"}})
async def delete_attachment(attachment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """Soft delete: the uploader, a manager above the customer's owner, or an admin."""
    await handlers.delete(pool, principal=principal, attachment_id=attachment_id)
    return Response(status_code=204)
