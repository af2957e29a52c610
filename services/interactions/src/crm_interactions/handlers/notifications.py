"""Notifications (I-9): each user's inbox with an Important tab, unread count, mark read (one or
all). Sources so far: @mentions in comments (important)."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound
from crmkit.i18n import DEFAULT_LANGUAGE
from crmkit.pagination import IdPosition, decode_cursor, page_of

from crm_interactions import notification_texts as texts
from crm_interactions.store import notifications as store

MENTION = "mention"


async def notify_mention(conn: asyncpg.Connection, *, user_id: uuid.UUID, comment: dict[str, Any],
                         author_username: str) -> dict[str, Any]:
    """Inside the comment's transaction: the mentioned user's important notification."""
    excerpt = comment["text"] if len(comment["text"]) <= 280 else comment["text"][:279] + "…"
    data = {"comment_id": str(comment["id"]), "customer_id": str(comment["customer_id"]),
            "author_id": str(comment["author_id"]), "author_username": author_username}
    return await store.insert(conn, user_id=user_id, type_=MENTION, important=True,
                              title=texts.title(MENTION, data) or "", body=excerpt, data=data)


def _before_of(cursor: str | None) -> int | None:
    position = decode_cursor(cursor, IdPosition)
    return position.id if position else None


async def list_notifications(pool: asyncpg.Pool, *, principal: Principal, important: bool | None = None,
                             unread: bool | None = None, limit: int = 50, cursor: str | None = None,
                             lang: str = DEFAULT_LANGUAGE) -> tuple[list[dict[str, Any]], str | None, int]:
    """The caller's own notifications in `lang`, newest first, and their unread count (of the same tab)."""
    async with pool.acquire() as conn:
        rows = await store.page(conn, user_id=principal.user_id, important=important, unread=unread,
                                before_id=_before_of(cursor), limit=limit + 1)
        count = await store.unread_count(conn, user_id=principal.user_id, important=important or None)
    items, next_cursor = page_of(rows, limit, lambda r: {"id": r["id"]})
    return [texts.localized(r, lang) for r in items], next_cursor, count


async def mark_read(pool: asyncpg.Pool, *, principal: Principal, notification_id: int,
                    lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await store.mark_read(conn, user_id=principal.user_id, notification_id=notification_id)
    if row is None:
        raise NotFound()
    return texts.localized(row, lang)


async def mark_all_read(pool: asyncpg.Pool, *, principal: Principal) -> int:
    async with pool.acquire() as conn:
        return await store.mark_all_read(conn, user_id=principal.user_id)
