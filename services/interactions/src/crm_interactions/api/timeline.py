from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page

from crm_interactions.handlers import timeline as handlers

router = APIRouter(prefix="/api/v1/customers", tags=["timeline"])
EntryType = Literal[handlers.TYPES]  # type: ignore[valid-type]


class TimelineEntryPublic(BaseModel):
    id: uuid.UUID
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None
    customer_id: uuid.UUID
    note: str | None
    data: dict[str, Any]


@router.get("/{customer_id}/timeline", response_model=Page[TimelineEntryPublic],
            responses={404: {"description": "not_found"}})
async def read_timeline(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                        limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                        type: Annotated[list[EntryType] | None, Query(max_length=20)] = None) -> Page[TimelineEntryPublic]:
    rows, next_cursor = await handlers.read_timeline(
        pool, principal=principal, customer_id=customer_id, limit=limit, cursor=cursor,
        types=list(type) if type else None,
    )
    return Page[TimelineEntryPublic](items=[TimelineEntryPublic.model_validate(dict(r)) for r in rows],
                                     next_cursor=next_cursor)
