"""Requests for compensation ("yêu cầu bù", P-2 … P-3, P-6): create a draft (the eligibility
rules, each refusal a 422 naming its rule), list ("Danh sách yêu cầu bù"), read, change or
withdraw a draft, and the history of its transitions."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from crmkit.versions import IfMatch, RequiredVersion, expected_version, versioned

from crm_compensation.api.packages import ReasonCode
from crm_compensation.handlers import requests as handlers

router = APIRouter(prefix="/api/v1", tags=["compensation"])
RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
Status = Literal["draft", "submitted", "approved", "rejected", "withdrawn"]
ReasonText = Annotated[str | None, Field(max_length=2000, description="the requester's words")]
REFUSALS = ("not_in_package, not_requester, reason_not_allowed, outside_window, already_compensated,"
            " already_requested, quota_exceeded, not_enough_call_attempts")


class RequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: uuid.UUID
    package_id: uuid.UUID | None = Field(None, description="omitted: the newest package holding the customer that"
                                                           " the caller may ask in")
    reason_code: ReasonCode
    reason_text: ReasonText = None


class RequestUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: ReasonCode | None = None
    reason_text: ReasonText = None


class EvidenceCustomer(BaseModel):
    full_name: str | None = None
    phone: str | None = None


class Evidence(BaseModel):
    """Taken when the request was made, from the CRM's own history (never typed in)."""
    delivered_at: datetime
    deadline: datetime
    call_attempts: int
    calls_by_outcome: dict[str, int]
    last_call_at: datetime | None = None
    customer: EvidenceCustomer


class Decision(BaseModel):
    decision: Literal["approved", "rejected"]
    decided_by: uuid.UUID | None = Field(description="null: an automatic rule decided")
    decided_at: datetime | None
    note: str | None
    auto: bool
    auto_rule_id: uuid.UUID | None


class RequestPublic(BaseModel):
    id: uuid.UUID
    package_id: uuid.UUID
    customer_id: uuid.UUID
    requester_id: uuid.UUID
    reason_code: str
    reason_text: str | None
    status: Status
    evidence: Evidence
    batch_id: uuid.UUID | None
    flag: dict[str, Any] | None = Field(description="the abuse guard's comparison, when flagged")
    auto_rule_id: uuid.UUID | None
    decision: Decision | None
    version: int
    created_at: datetime
    updated_at: datetime


class HistoryEntry(BaseModel):
    action: str
    from_status: str | None
    to_status: str
    actor_id: uuid.UUID | None
    note: str | None
    auto_rule_id: uuid.UUID | None
    at: datetime


class History(BaseModel):
    items: list[HistoryEntry]


@router.post("/compensation-requests", status_code=201, response_model=RequestPublic, responses={
    **RESPONSES, 422: {"description": f"validation_error, {REFUSALS}"}})
async def create_request(body: RequestCreate, principal: CurrentPrincipal, once: Idempotent) -> Response:
    """Yêu cầu bù ngay: a draft with its evidence, if every rule passes. `Idempotency-Key` supported."""
    request = await handlers.create(once.pool, principal=principal, customer_id=body.customer_id,
                                    package_id=body.package_id, reason_code=body.reason_code,
                                    reason_text=body.reason_text)
    return once.answer(versioned(RequestPublic, request, 201,
                                 {"Location": f"/api/v1/compensation-requests/{request['id']}"}))


@router.get("/compensation-requests", response_model=Page[RequestPublic])
async def list_requests(pool: DbPool, principal: CurrentPrincipal, package_id: uuid.UUID | None = None,
                        status: Status | None = None, requester_id: uuid.UUID | None = None,
                        limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[RequestPublic]:
    """Danh sách yêu cầu bù: the requests the caller sees, newest first."""
    rows, next_cursor = await handlers.list_requests(pool, principal=principal, package_id=package_id, status=status,
                                                     requester_id=requester_id, limit=limit, cursor=cursor)
    return Page[RequestPublic](items=[RequestPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/compensation-requests/{request_id}", response_model=RequestPublic, responses=RESPONSES)
async def get_request(request_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    return versioned(RequestPublic, await handlers.get(pool, principal=principal, request_id=request_id))


@router.patch("/compensation-requests/{request_id}", response_model=RequestPublic, responses={
    **RESPONSES, 403: {"description": "not_your_request"}, 409: {"description": "request_frozen"},
    412: {"description": "version_conflict"}, 422: {"description": f"validation_error, {REFUSALS}"},
    428: {"description": "precondition_required"}})
async def update_request(request_id: uuid.UUID, body: RequestUpdate, pool: DbPool, principal: CurrentPrincipal,
                         version: RequiredVersion) -> Response:
    """A draft's reason or text (the rules are checked again); `If-Match`."""
    request = await handlers.update(pool, principal=principal, request_id=request_id, expected_version=version,
                                    changes=body.model_dump(exclude_unset=True))
    return versioned(RequestPublic, request)


@router.delete("/compensation-requests/{request_id}", status_code=204, responses={
    **RESPONSES, 403: {"description": "not_your_request"}, 409: {"description": "request_frozen"},
    412: {"description": "version_conflict"}})
async def withdraw_request(request_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                           if_match: IfMatch = None) -> Response:
    """Withdraw a draft (`If-Match` optional)."""
    await handlers.withdraw(pool, principal=principal, request_id=request_id,
                            expected_version=expected_version(if_match, required=False))
    return Response(status_code=204)


@router.get("/compensation-requests/{request_id}/history", response_model=History, responses=RESPONSES)
async def request_history(request_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    """Every transition, oldest first: who, when, the note, the rule that decided."""
    return {"items": await handlers.history(pool, principal=principal, request_id=request_id)}
