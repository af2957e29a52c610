from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from crmkit import i18n
from crmkit.auth import CurrentPrincipal, still_valid
from crmkit.db import init_connection
from crmkit.dependencies import DbPool, Settings
from crmkit.errors import ProblemError
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit

from crm_interactions import notification_stream
from crm_interactions.handlers import notifications as handlers

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])


class NotificationPublic(BaseModel):
    id: int
    type: str = Field(description="mention, …")
    important: bool
    title: str = Field(description="in the language of Accept-Language (Vietnamese by default)")
    body: str | None = Field(description="the user's own text (a comment's excerpt, a note, a file name), or for"
                                         " a declined assignment the reason, in the reader's language")
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationPublic]
    next_cursor: str | None = None
    unread_count: int = Field(description="unread notifications of the same tab (all, or important)")


class ReadAll(BaseModel):
    marked: int


def _language(request: Request) -> str:
    """Titles (and a decline's reason line) are rendered in the reader's language (vi by default)."""
    return i18n.language(request.headers.get("accept-language"))


@router.get("", response_model=NotificationPage)
async def list_notifications(request: Request, pool: DbPool, principal: CurrentPrincipal,
                             important: bool | None = Query(None, description="true: the Important tab"),
                             unread: bool | None = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> NotificationPage:
    """The caller's own notifications, newest first, with the unread count (I-9)."""
    rows, next_cursor, count = await handlers.list_notifications(
        pool, principal=principal, important=important, unread=unread, limit=limit, cursor=cursor,
        lang=_language(request))
    return NotificationPage(items=[NotificationPublic.model_validate(r) for r in rows], next_cursor=next_cursor,
                            unread_count=count)


def _hub(request: Request, settings: Any) -> notification_stream.NotificationHub:
    """One listener connection per process (per app), opened with the first stream."""
    hub = getattr(request.app.state, "notification_hub", None)
    if hub is None:
        dsn = settings.database_url

        async def connect() -> asyncpg.Connection:
            conn = await asyncpg.connect(dsn)
            await init_connection(conn)
            return conn

        hub = request.app.state.notification_hub = notification_stream.NotificationHub(connect)
    return hub


@router.get("/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "`event: notification` with the notification as `data`, `id` = its id"},
                       429: {"description": "too_many_streams"}})
async def stream_notifications(request: Request, pool: DbPool, settings: Settings, principal: CurrentPrincipal,
                               last_event_id: str | None = Header(None, max_length=32)) -> StreamingResponse:
    """Server-Sent Events: each new notification of the caller within a second of its commit;
    `Last-Event-ID` resumes after that notification; a comment line every 15 s keeps it open. The
    stream ends when the access token expires or the account changes (reconnect with a fresh
    token); at most `CRM_INTERACTIONS_MAX_STREAMS_PER_USER` (5) open at once, counted across every
    process of the service: 429 beyond."""
    hub = _hub(request, settings)
    if await hub.open_streams(principal.user_id, settings.max_streams_per_user) >= settings.max_streams_per_user:
        raise ProblemError(429, "too_many_streams", params={"max": settings.max_streams_per_user},
                           headers={"Retry-After": "15"})
    events = notification_stream.stream(pool, hub, user_id=principal.user_id,
                                        last_event_id=notification_stream.last_event_id_of(last_event_id),
                                        allowed=lambda: still_valid(request.app, principal),
                                        lang=_language(request), slots=settings.max_streams_per_user)
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/read-all", response_model=ReadAll)
async def read_all(pool: DbPool, principal: CurrentPrincipal) -> ReadAll:
    """Mark all of the caller's notifications read."""
    return ReadAll(marked=await handlers.mark_all_read(pool, principal=principal))


NotificationId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.post("/{notification_id}/read", response_model=NotificationPublic,
             responses={404: {"description": "not_found"}})
async def read_one(notification_id: NotificationId, request: Request, pool: DbPool, principal: CurrentPrincipal) -> NotificationPublic:
    """Mark one of the caller's notifications read (someone else's: 404)."""
    return NotificationPublic.model_validate(await handlers.mark_read(
        pool, principal=principal, notification_id=notification_id, lang=_language(request)))
