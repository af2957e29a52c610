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
from crmkit.versions import IfMatch, expected_version, versioned

from crm_interactions.api.documented import NOT_BLANK, NotNull
from crm_interactions.handlers import care_tickets as handlers

router = APIRouter(prefix="/api/v1/care-tickets", tags=["care tickets"])

Method = Literal["call", "meeting", "email", "sms", "zalo"]
Status = Literal["planned", "done", "cancelled"]
Scope = Literal["all", "mine", "my_unit", "today"]
Note = Annotated[str | None, Field(max_length=4000)]


class CareTicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: uuid.UUID
    method: Method
    planned_at: datetime = Field(description="without an offset: Vietnamese local time")
    assignee_id: uuid.UUID | None = Field(None, description="an active user; default: the caller")
    note: Note = None


class CareTicketUpdate(BaseModel):
    """Only the fields sent change (planned tickets only); `null` clears the note."""
    model_config = ConfigDict(extra="forbid")

    method: Method | NotNull = None
    planned_at: datetime | NotNull = None
    assignee_id: uuid.UUID | NotNull = None
    note: Note = None


class CareTicketComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: str = Field(min_length=1, max_length=4000, examples=["Khách đồng ý hẹn gặp tuần sau"],
                        json_schema_extra={"pattern": NOT_BLANK})


class CareTicketCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=1000)


class CareTicketPublic(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    method: str
    planned_at: datetime
    assignee_id: uuid.UUID
    note: str | None
    result: str | None
    cancel_reason: str | None
    status: str
    completed_at: datetime | None
    cancelled_at: datetime | None
    created_by: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES, 403: {"description": "not_editable; ticket_not_manageable (an assignee reassigning or deleting)"},
    412: {"description": "version_conflict"},
    422: {"description": "validation_error"}}


@router.post("", status_code=201, response_model=CareTicketPublic,
             responses={**RESPONSES, 422: {"description": "validation_error"}})
async def create_care_ticket(body: CareTicketCreate, principal: CurrentPrincipal,
                             once: Idempotent) -> Response:
    """Plan care for a customer the caller may see (I-6); `Idempotency-Key` supported."""
    row = await handlers.create(once.pool, principal=principal, **body.model_dump())
    return once.answer(versioned(CareTicketPublic, row, 201, {"Location": f"/api/v1/care-tickets/{row['id']}"}))


@router.get("", response_model=Page[CareTicketPublic])
async def list_care_tickets(pool: DbPool, principal: CurrentPrincipal, scope: Scope = "all",
                            status: Status | None = None, customer_id: uuid.UUID | None = None,
                            q: Annotated[str | None, Query(max_length=200, description="searches note and result")] = None,
                            limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[CareTicketPublic]:
    """Newest planned first. Scopes: all (every ticket of a customer I may see) · mine (assigned to
    me) · my_unit (assignee in my unit's subtree) · today (planned today, Asia/Ho_Chi_Minh)."""
    rows, next_cursor = await handlers.list_tickets(
        pool, principal=principal, scope=scope, status=status, customer_id=customer_id, q=q,
        limit=limit, cursor=cursor)
    return Page[CareTicketPublic](items=[CareTicketPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{ticket_id}", response_model=CareTicketPublic, responses=RESPONSES)
async def get_care_ticket(ticket_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    row = await handlers.get(pool, principal=principal, ticket_id=ticket_id)
    return versioned(CareTicketPublic, row)


@router.patch("/{ticket_id}", response_model=CareTicketPublic, responses={
    **WRITE_RESPONSES, 409: {"description": "ticket_closed"}, 428: {"description": "precondition_required"}})
async def update_care_ticket(ticket_id: uuid.UUID, body: CareTicketUpdate, pool: DbPool,
                             principal: CurrentPrincipal, if_match: IfMatch = None) -> Response:
    row = await handlers.update(pool, principal=principal, ticket_id=ticket_id,
                                expected_version=expected_version(if_match),
                                changes=body.model_dump(exclude_unset=True))
    return versioned(CareTicketPublic, row)


@router.post("/{ticket_id}/complete", response_model=CareTicketPublic, responses={
    **WRITE_RESPONSES, 409: {"description": "invalid_transition"}})
async def complete_care_ticket(ticket_id: uuid.UUID, body: CareTicketComplete,
                               principal: CurrentPrincipal, once: Idempotent, if_match: IfMatch = None) -> Response:
    """planned → done with the result; writes a `care` entry on the customer's timeline. `If-Match` optional."""
    row = await handlers.complete(once.pool, principal=principal, ticket_id=ticket_id, result=body.result,
                                  expected_version=expected_version(if_match, required=False))
    return once.answer(versioned(CareTicketPublic, row))


@router.post("/{ticket_id}/cancel", response_model=CareTicketPublic, responses={
    **WRITE_RESPONSES, 409: {"description": "invalid_transition"}})
async def cancel_care_ticket(ticket_id: uuid.UUID, body: CareTicketCancel,
                             principal: CurrentPrincipal, once: Idempotent, if_match: IfMatch = None) -> Response:
    """planned → cancelled. `If-Match` optional."""
    row = await handlers.cancel(once.pool, principal=principal, ticket_id=ticket_id, reason=body.reason,
                                expected_version=expected_version(if_match, required=False))
    return once.answer(versioned(CareTicketPublic, row))


@router.delete("/{ticket_id}", status_code=204, responses=WRITE_RESPONSES)
async def delete_care_ticket(ticket_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                             if_match: IfMatch = None) -> Response:
    """Soft delete; `If-Match` optional."""
    await handlers.delete(pool, principal=principal, ticket_id=ticket_id,
                          expected_version=expected_version(if_match, required=False))
    return Response(status_code=204)
