"""Call result sheets (I-2) and notes (I-1) posted on a customer's timeline."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page

from crm_interactions.api.timeline import TimelineEntryPublic
from crm_interactions.handlers import calls as handlers

router = APIRouter(prefix="/api/v1/customers", tags=["calls and notes"])

Direction = Literal["in", "out"]
Outcome = Literal["reached", "no_answer", "busy", "wrong_number", "call_back_later", "voicemail", "rejected"]


class CallCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    direction: Direction
    outcome: Outcome
    started_at: datetime | None = Field(None, description="default: now; without an offset: Vietnamese local time")
    duration_seconds: int = Field(ge=0, le=86400)
    rating: int | None = Field(None, ge=1, le=5)
    note: Annotated[str | None, Field(max_length=4000)] = None
    recording_ref: Annotated[str | None, Field(max_length=500,
                                               description="a URL or an id in the call-centre system")] = None
    external_id: Annotated[str | None, Field(max_length=200, description=(
        "the call-centre's id of the call, unique per poster: a retried post answers the stored sheet"))] = None


class CallPublic(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    direction: str
    outcome: str
    occurred_at: datetime
    duration_seconds: int
    rating: int | None
    note: str | None
    recording_ref: str | None
    external_id: str | None
    actor_id: uuid.UUID | None
    entry_id: uuid.UUID = Field(description="the call's timeline entry")
    created_at: datetime


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)


RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}


def _json(model: type[BaseModel], row: dict[str, Any], status: int, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(model.model_validate(row).model_dump(mode="json"), status_code=status, headers=headers)


@router.post("/{customer_id}/calls", status_code=201, response_model=CallPublic, responses={
    **RESPONSES, 200: {"description": "this external_id was already logged by the caller: the stored sheet",
                       "model": CallPublic},
    403: {"description": "forbidden (an integrator key without `calls.write`)"},
    409: {"description": "call_already_logged (the external_id names a call of another customer)"},
    422: {"description": "validation_error"}})
async def log_call(customer_id: uuid.UUID, body: CallCreate, principal: CurrentPrincipal,
                   once: Idempotent) -> Response:
    """Log a call result sheet (I-2): by a rep who may see the customer, or by a call-centre
    integrator key with the permission `calls.write`. Writes a `call_out`, `call_in` or
    `call_missed` (incoming, no answer) timeline entry and publishes `call.logged`.
    `Idempotency-Key` supported; `external_id` makes retries idempotent too."""
    row, created = await handlers.log_call(once.pool, principal=principal, customer_id=customer_id,
                                           **body.model_dump())
    return once.answer(_json(CallPublic, row, 201 if created else 200))


@router.get("/{customer_id}/calls", response_model=Page[CallPublic], responses=RESPONSES)
async def list_calls(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                     outcome: Outcome | None = None, direction: Direction | None = None,
                     limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[CallPublic]:
    """The customer's call sheets, newest first (keyset pages); visible like the timeline."""
    rows, next_cursor = await handlers.list_calls(
        pool, principal=principal, customer_id=customer_id, limit=limit, cursor=cursor,
        outcome=outcome, direction=direction)
    return Page[CallPublic](items=[CallPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/{customer_id}/notes", status_code=201, response_model=TimelineEntryPublic,
             responses={**RESPONSES, 422: {"description": "validation_error"}})
async def add_note(customer_id: uuid.UUID, body: NoteCreate, principal: CurrentPrincipal,
                   once: Idempotent) -> Response:
    """A `note` entry on the timeline of a customer the caller may see (viewers too);
    `Idempotency-Key` supported."""
    entry = await handlers.add_note(once.pool, principal=principal, customer_id=customer_id, text=body.text)
    return once.answer(_json(TimelineEntryPublic, entry, 201))
