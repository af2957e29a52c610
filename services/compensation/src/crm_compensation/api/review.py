"""Sending for review behind two confirmations ("Gửi xét duyệt", P-4), the reviewers' queue and
their decisions (P-5)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from crmkit.versions import etag

from crm_compensation.api.requests import RequestPublic
from crm_compensation.handlers import decisions
from crm_compensation.handlers import review as handlers

router = APIRouter(prefix="/api/v1", tags=["compensation review"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
BatchStatus = Literal["submitted", "in_review", "completed"]
Note = Annotated[str | None, Field(max_length=2000)]


class DraftSummary(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    requester_id: uuid.UUID
    reason_code: str
    version: int


class ReasonCount(BaseModel):
    reason_code: str
    count: int


class ReviewSubmissionPublic(BaseModel):
    """The first confirmation: what the second will send, and the token naming exactly that."""
    package_id: uuid.UUID
    drafts: list[DraftSummary]
    count: int
    summary: list[ReasonCount] = Field(description="drafts per reason")
    confirmation_token: str = Field(description="for POST /compensation-batches within 10 minutes, once")
    expires_at: datetime


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    package_id: uuid.UUID
    confirmation_token: Annotated[str, Field(min_length=1, max_length=200)]


class BatchPublic(BaseModel):
    id: uuid.UUID
    package_id: uuid.UUID
    package_name: str
    provider: str
    status: BatchStatus
    submitted_by: uuid.UUID
    submitted_at: datetime
    requests: int
    approved: int
    rejected: int
    pending: int
    completed_at: datetime | None
    age_seconds: int = Field(description="since submission (until completion, for a completed batch)")


class BatchDetail(BatchPublic):
    items: list[RequestPublic] = Field(description="its requests the caller sees, with the evidence, the abuse"
                                                 " guard's `flag` and the decision (`auto` with its rule)")


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approved", "rejected"]
    note: Note = None


def _json(model: type[BaseModel], value: Any, status_code: int = 200, **headers: str) -> Response:
    return Response(model.model_validate(value).model_dump_json(), status_code=status_code,
                    media_type="application/json", headers=headers)


@router.post("/lead-packages/{package_id}/review-submission", response_model=ReviewSubmissionPublic, responses={
    **NOT_FOUND, 403: {"description": "not_a_submitter"}, 422: {"description": "no_drafts"}})
async def review_submission(package_id: uuid.UUID, principal: CurrentPrincipal, once: Idempotent) -> Response:
    """The first confirmation of "Gửi xét duyệt": the drafts the caller would send (a rep of a
    unit-owned package: their own), their count and summary by reason, and a token for 10 minutes."""
    shown = await handlers.review_submission(once.pool, principal=principal, package_id=package_id)
    return once.answer(_json(ReviewSubmissionPublic, shown))


@router.post("/compensation-batches", status_code=201, response_model=BatchDetail, responses={
    **NOT_FOUND, 403: {"description": "not_a_submitter"},
    409: {"description": "confirmation_stale (the drafts changed since the first confirmation), "
                         "confirmation_invalid (unknown, used or expired token)"}})
async def create_batch(body: BatchCreate, principal: CurrentPrincipal, once: Idempotent) -> Response:
    """The second confirmation: the drafts become a `submitted` batch (frozen), the abuse guard
    flags, the auto rules decide what they can."""
    batch = await handlers.submit(once.pool, principal=principal, package_id=body.package_id,
                                  confirmation_token=body.confirmation_token)
    return once.answer(_json(BatchDetail, batch, 201, Location=f"/api/v1/compensation-batches/{batch['id']}"))


@router.get("/compensation-batches", response_model=Page[BatchPublic])
async def list_batches(pool: DbPool, principal: CurrentPrincipal, status: BatchStatus | None = None,
                       package_id: Annotated[uuid.UUID | None, Query()] = None, limit: Limit = DEFAULT_LIMIT,
                       cursor: Cursor = None) -> Page[BatchPublic]:
    """Reviewers and admins: the queue, oldest first (open batches unless `status` names one);
    others: the batches of the packages they see, newest first."""
    rows, next_cursor = await handlers.list_batches(pool, principal=principal, status=status, package_id=package_id,
                                                    cursor=cursor, limit=limit)
    return Page[BatchPublic](items=[BatchPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/compensation-batches/{batch_id}", response_model=BatchDetail, responses=NOT_FOUND)
async def get_batch(batch_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    return await handlers.get_batch(pool, principal=principal, batch_id=batch_id)


@router.post("/compensation-requests/{request_id}/decision", response_model=RequestPublic, responses={
    **NOT_FOUND, 403: {"description": "not_a_reviewer"},
    409: {"description": "already_decided, not_submitted"}})
async def decide(request_id: uuid.UUID, body: DecisionCreate, principal: CurrentPrincipal,
                 once: Idempotent) -> Response:
    """A reviewer's (or admin's) decision: approved adds one credit to the package's ledger; the
    first decision moves the batch to `in_review`, the last to `completed`."""
    decided = await decisions.decide(once.pool, principal=principal, request_id=request_id, decision=body.decision,
                                     note=body.note)
    return once.answer(_json(RequestPublic, decided, ETag=etag(decided["version"])))
