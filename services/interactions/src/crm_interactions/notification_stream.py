"""Live notifications (I-9): one LISTEN connection per process on `crm_notifications` (sent by
the insert trigger at commit, so a notification written by any replica reaches every replica)
fans out to in-process queues, one per open stream. A wake-up only says "look": the stream reads
the user's notifications newer than the last one it sent, so nothing is lost or repeated, and
`Last-Event-ID` resumes after a reconnect."""
from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import orjson

from crmkit.i18n import DEFAULT_LANGUAGE
from crmkit.logging import get_logger

from crm_interactions import notification_texts as texts
from crm_interactions.store import notifications as store

log = get_logger(__name__)
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 3000


class NotificationHub:
    """Fans the channel's payloads `{id, user_id}` out to the queues of that user's streams."""

    def __init__(self, connect: Callable[[], Awaitable[asyncpg.Connection]]) -> None:
        self._connect = connect
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._queues: dict[uuid.UUID, set[asyncio.Queue[int]]] = defaultdict(set)

    async def ensure_listening(self) -> None:
        """(Re)open the listener connection; after a reconnect every stream re-reads its backlog."""
        if self._conn is not None and not self._conn.is_closed():
            return
        async with self._lock:
            if self._conn is not None and not self._conn.is_closed():
                return
            reconnect = self._conn is not None
            conn = await self._connect()
            conn.add_termination_listener(self._on_terminated)
            await conn.add_listener(store.CHANNEL, self._on_notify)
            self._conn = conn
            if reconnect:
                self._wake_all()

    def _on_terminated(self, _conn: asyncpg.Connection) -> None:
        log.warning("notification_listener_lost")

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            message = orjson.loads(payload)
            user_id, notification_id = uuid.UUID(message["user_id"]), int(message["id"])
        except (ValueError, KeyError, TypeError):
            log.warning("notification_payload_invalid", payload=payload[:200])
            return
        for queue in self._queues.get(user_id, ()):
            queue.put_nowait(notification_id)

    def _wake_all(self) -> None:
        for queues in self._queues.values():
            for queue in queues:
                queue.put_nowait(0)

    def streams_of(self, user_id: uuid.UUID) -> int:
        return len(self._queues.get(user_id, ()))

    @contextlib.asynccontextmanager
    async def subscribe(self, user_id: uuid.UUID) -> AsyncIterator[asyncio.Queue[int]]:
        await self.ensure_listening()
        queue: asyncio.Queue[int] = asyncio.Queue()
        self._queues[user_id].add(queue)
        try:
            yield queue
        finally:
            self._queues[user_id].discard(queue)
            if not self._queues[user_id]:
                del self._queues[user_id]

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            await conn.close()


def format_event(row: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    data = orjson.dumps(texts.localized(row, lang), default=str).decode()
    return f"id: {row['id']}\nevent: notification\ndata: {data}\n\n"


def last_event_id_of(header: str | None) -> int | None:
    try:
        return int(header) if header and header.strip().isdigit() else None
    except ValueError:
        return None


async def stream(pool: asyncpg.Pool, hub: NotificationHub, *, user_id: uuid.UUID, last_event_id: int | None,
                 allowed: Callable[[], bool] = lambda: True, heartbeat: float = HEARTBEAT_SECONDS,
                 lang: str = DEFAULT_LANGUAGE) -> AsyncIterator[str]:
    """Server-Sent Events of one user's notifications, in `lang`: those after `last_event_id` first
    (or only new ones without it), then each new one as it is committed; a comment line every `heartbeat`.
    It ends as soon as `allowed()` says no (the token expired, the user was deactivated): the
    client reconnects with a fresh token, or learns it has none."""
    async with hub.subscribe(user_id) as queue:
        async with pool.acquire() as conn:
            last = last_event_id if last_event_id is not None else await store.last_id(conn, user_id=user_id)
        yield f"retry: {RETRY_MILLISECONDS}\n: connected\n\n"
        while allowed():
            async with pool.acquire() as conn:
                rows = await store.after(conn, user_id=user_id, after_id=last)
            for row in rows:
                last = row["id"]
                yield format_event(row, lang)
            if rows:
                continue  # there may be more than one page
            try:
                await asyncio.wait_for(queue.get(), heartbeat)
                while not queue.empty():
                    queue.get_nowait()
            except TimeoutError:
                yield ": heartbeat\n\n"
                await hub.ensure_listening()
