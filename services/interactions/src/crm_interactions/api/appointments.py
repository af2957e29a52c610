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
from crm_interactions.handlers import appointments as handlers

router = APIRouter(prefix="/api/v1/appointments", tags=["appointments"])

Type = Literal["meeting", "call", "task", "payment_due", "other"]
Status = Literal["planned", "done", "cancelled"]
Target = Literal["done", "cancelled"]
Title = Annotated[str, Field(min_length=1, max_length=300, examples=["Gặp khách ký hợp đồng"],
                             json_schema_extra={"pattern": NOT_BLANK})]
Note = Annotated[str | None, Field(max_length=4000)]
Location = Annotated[str | None, Field(max_length=500)]
LOCAL = "without an offset: Vietnamese local time"
FROM, TO = "starts at or after; " + LOCAL, "starts before; " + LOCAL


class AppointmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    type: Type
    customer_id: uuid.UUID | None = Field(None, description="a customer the caller may see")
    assignee_id: uuid.UUID | None = Field(None, description="an active user; default: the caller")
    starts_at: datetime = Field(description=LOCAL)
    ends_at: datetime | None = Field(None, description=LOCAL + "; not before starts_at")
    all_day: bool = False
    location: Location = None
    note: Note = None


class AppointmentUpdate(BaseModel):
    """Only the fields sent change; `null` clears ends_at, location and note."""
    model_config = ConfigDict(extra="forbid")

    title: Title | NotNull = None
    type: Type | NotNull = None
    assignee_id: uuid.UUID | NotNull = None
    starts_at: datetime | NotNull = None
    ends_at: datetime | None = None
    all_day: bool | NotNull = None
    location: Location = None
    note: Note = None


class AppointmentStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Target


class AppointmentPublic(BaseModel):
    id: uuid.UUID
    title: str
    type: str
    customer_id: uuid.UUID | None
    assignee_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool
    location: str | None
    note: str | None
    status: str
    completed_at: datetime | None
    cancelled_at: datetime | None
    created_by: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES, 412: {"description": "version_conflict"}, 422: {"description": "validation_error"}}


@router.post("", status_code=201, response_model=AppointmentPublic,
             responses={**RESPONSES, 422: {"description": "validation_error"}})
async def create_appointment(body: AppointmentCreate, principal: CurrentPrincipal,
                             once: Idempotent) -> Response:
    """Plan an appointment or task (I-8), optionally for a customer the caller may see (404
    otherwise); a customer's appointment shows on its timeline. `Idempotency-Key` supported."""
    row = await handlers.create(once.pool, principal=principal, **body.model_dump())
    return once.answer(versioned(AppointmentPublic, row, 201, {"Location": f"/api/v1/appointments/{row['id']}"}))


@router.get("", response_model=Page[AppointmentPublic])
async def list_appointments(pool: DbPool, principal: CurrentPrincipal, status: Status | None = None,
                            assignee_id: uuid.UUID | None = None, type: Type | None = None,
                            customer_id: uuid.UUID | None = None,
                            from_: Annotated[datetime | None, Query(alias="from", description=FROM)] = None,
                            to: Annotated[datetime | None, Query(description=TO)] = None,
                            limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[AppointmentPublic]:
    """Soonest first, among the appointments the caller sees: their own (assignee or creator),
    those of their unit's subtree for managers, all for admins."""
    rows, next_cursor = await handlers.list_appointments(
        pool, principal=principal, status=status, assignee_id=assignee_id, type=type,
        customer_id=customer_id, from_=from_, to=to, limit=limit, cursor=cursor)
    return Page[AppointmentPublic](items=[AppointmentPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{appointment_id}", response_model=AppointmentPublic, responses=RESPONSES)
async def get_appointment(appointment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    row = await handlers.get(pool, principal=principal, appointment_id=appointment_id)
    return versioned(AppointmentPublic, row)


@router.patch("/{appointment_id}", response_model=AppointmentPublic, responses={
    **WRITE_RESPONSES, 428: {"description": "precondition_required"}})
async def update_appointment(appointment_id: uuid.UUID, body: AppointmentUpdate, pool: DbPool,
                             principal: CurrentPrincipal, if_match: IfMatch = None) -> Response:
    row = await handlers.update(pool, principal=principal, appointment_id=appointment_id,
                                expected_version=expected_version(if_match),
                                changes=body.model_dump(exclude_unset=True))
    return versioned(AppointmentPublic, row)


@router.post("/{appointment_id}/status", response_model=AppointmentPublic, responses={
    **WRITE_RESPONSES, 409: {"description": "invalid_transition"}})
async def change_appointment_status(appointment_id: uuid.UUID, body: AppointmentStatus,
                                    principal: CurrentPrincipal,
                                    once: Idempotent, if_match: IfMatch = None) -> Response:
    """planned → done | cancelled. `If-Match` optional."""
    row = await handlers.change_status(once.pool, principal=principal, appointment_id=appointment_id,
                                       status=body.status,
                                       expected_version=expected_version(if_match, required=False))
    return once.answer(versioned(AppointmentPublic, row))


@router.delete("/{appointment_id}", status_code=204, responses=WRITE_RESPONSES)
async def delete_appointment(appointment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                             if_match: IfMatch = None) -> Response:
    """Soft delete; `If-Match` optional."""
    await handlers.delete(pool, principal=principal, appointment_id=appointment_id,
                          expected_version=expected_version(if_match, required=False))
    return Response(status_code=204)
