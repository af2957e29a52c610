"""The caller's private calendar feed (I-8). `calendar.ics` is public at the gateway: the token
in its URL is the only credential, so an unknown or revoked token answers 404 like no token."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_interactions.handlers import calendar_feed as handlers

router = APIRouter(prefix="/api/v1/me", tags=["calendar"])

CACHE_CONTROL = "private, max-age=300"


class CalendarFeed(BaseModel):
    url: str


@router.post("/calendar-feed", status_code=201, response_model=CalendarFeed)
async def create_calendar_feed(pool: DbPool, principal: CurrentPrincipal) -> Response:
    """Create the caller's feed URL, or rotate it (the previous URL stops working). The token is
    shown only here; the service keeps its hash."""
    url = await handlers.create_feed(pool, principal=principal)
    return Response(CalendarFeed(url=url).model_dump_json(), status_code=201, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


@router.delete("/calendar-feed", status_code=204)
async def revoke_calendar_feed(pool: DbPool, principal: CurrentPrincipal) -> Response:
    """Revoke the caller's feed URL (also when there is none)."""
    await handlers.revoke_feed(pool, principal=principal)
    return Response(status_code=204)


@router.get("/calendar.ics", response_class=Response, responses={
    200: {"content": {"text/calendar": {}}, "description": "RFC 5545 VCALENDAR"},
    404: {"description": "not_found"}})
async def calendar_ics(pool: DbPool,
                       token: Annotated[str | None, Query(description="the feed token")] = None) -> Response:
    """No Authorization: the feed token authenticates. The user's appointments and planned care
    from 30 days back to 365 days ahead, times in UTC."""
    body = await handlers.render_feed(pool, token=token)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": CACHE_CONTROL,
                             "Content-Disposition": 'inline; filename="calendar.ics"'})
