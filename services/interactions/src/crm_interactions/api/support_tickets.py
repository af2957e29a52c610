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
from crm_interactions.handlers import support_tickets as handlers

router = APIRouter(prefix="/api/v1/support-tickets", tags=["support tickets"])

Status = Literal["pending", "processing", "done", "cancelled"]
Scope = Literal["all", "mine", "my_unit"]
LongText = Annotated[str | None, Field(max_length=10000)]
# (the constraints on the member: a Field's would apply to the whole `| NotNull` union)
Title = Annotated[str, Field(max_length=300, json_schema_extra={"pattern": NOT_BLANK})]


class SupportTicketFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str | None = Field(None, max_length=100, examples=["Hotline"])
    handling_unit_id: uuid.UUID | None = Field(None, description="the unit handling the ticket")
    assignee_id: uuid.UUID | None = Field(None, description="an active user; default: the caller")
    title: Title | NotNull = Field(None, description="required on creation")
    content: LongText = None
    handling_process: LongText = None
    response_to_customer: LongText = None
    customer_feedback: LongText = None
    contact_name: str | None = Field(None, max_length=200)
    contact_details: str | None = Field(None, max_length=500)


class SupportTicketCreate(SupportTicketFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["customer_id", "title"]})

    customer_id: uuid.UUID


class SupportTicketUpdate(SupportTicketFields):
    """Only the fields sent change; `null` clears a field (title and assignee cannot be cleared)."""

    assignee_id: uuid.UUID | NotNull = Field(None, description="an active user")


class SupportTicketStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status = Field(description="pending → processing → done; pending | processing → cancelled")
    note: str | None = Field(None, max_length=4000, description="kept on the customer's timeline")


class SupportTicketPublic(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    channel: str | None
    handling_unit_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    title: str
    content: str | None
    handling_process: str | None
    response_to_customer: str | None
    customer_feedback: str | None
    contact_name: str | None
    contact_details: str | None
    status: str
    created_by: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES, 403: {"description": "not_editable; ticket_not_manageable (an assignee reassigning or deleting)"},
    412: {"description": "version_conflict"},
    422: {"description": "validation_error"}}


@router.post("", status_code=201, response_model=SupportTicketPublic,
             responses={**RESPONSES, 422: {"description": "validation_error"}})
async def create_support_ticket(body: SupportTicketCreate, principal: CurrentPrincipal,
                                once: Idempotent) -> Response:
    """Open a pending support ticket for a customer the caller may see (I-7); `Idempotency-Key` supported."""
    row = await handlers.create(once.pool, principal=principal, **body.model_dump())
    return once.answer(versioned(SupportTicketPublic, row, 201, {"Location": f"/api/v1/support-tickets/{row['id']}"}))


@router.get("", response_model=Page[SupportTicketPublic])
async def list_support_tickets(pool: DbPool, principal: CurrentPrincipal, scope: Scope = "all",
                               status: Status | None = None, customer_id: uuid.UUID | None = None,
                               q: Annotated[str | None, Query(max_length=200, description="searches title and content")] = None,
                               limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[SupportTicketPublic]:
    """Newest first. Scopes: all (every ticket of a customer I may see) · mine (assigned to me) ·
    my_unit (handled by my unit, or assignee in my unit's subtree)."""
    rows, next_cursor = await handlers.list_tickets(
        pool, principal=principal, scope=scope, status=status, customer_id=customer_id, q=q,
        limit=limit, cursor=cursor)
    return Page[SupportTicketPublic](items=[SupportTicketPublic.model_validate(r) for r in rows],
                                     next_cursor=next_cursor)


@router.get("/{ticket_id}", response_model=SupportTicketPublic, responses=RESPONSES)
async def get_support_ticket(ticket_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    row = await handlers.get(pool, principal=principal, ticket_id=ticket_id)
    return versioned(SupportTicketPublic, row)


@router.patch("/{ticket_id}", response_model=SupportTicketPublic, responses={
    **WRITE_RESPONSES, 428: {"description": "precondition_required"}})
async def update_support_ticket(ticket_id: uuid.UUID, body: SupportTicketUpdate, pool: DbPool,
                                principal: CurrentPrincipal, if_match: IfMatch = None) -> Response:
    row = await handlers.update(pool, principal=principal, ticket_id=ticket_id,
                                expected_version=expected_version(if_match),
                                changes=body.model_dump(exclude_unset=True))
    return versioned(SupportTicketPublic, row)


@router.post("/{ticket_id}/status", response_model=SupportTicketPublic, responses={
    **WRITE_RESPONSES, 409: {"description": "invalid_transition"}})
async def change_support_ticket_status(ticket_id: uuid.UUID, body: SupportTicketStatusChange,
                                       principal: CurrentPrincipal,
                                       once: Idempotent, if_match: IfMatch = None) -> Response:
    """Move the ticket along the allowed transitions (409 `invalid_transition` with `from` and `to`
    otherwise); writes a `support` entry on the customer's timeline. `If-Match` optional."""
    row = await handlers.change_status(once.pool, principal=principal, ticket_id=ticket_id, status=body.status,
                                       note=body.note, expected_version=expected_version(if_match, required=False))
    return once.answer(versioned(SupportTicketPublic, row))


@router.delete("/{ticket_id}", status_code=204, responses=WRITE_RESPONSES)
async def delete_support_ticket(ticket_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                                if_match: IfMatch = None) -> Response:
    """Soft delete; `If-Match` optional."""
    await handlers.delete(pool, principal=principal, ticket_id=ticket_id,
                          expected_version=expected_version(if_match, required=False))
    return Response(status_code=204)
