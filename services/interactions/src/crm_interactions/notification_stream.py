"""Live notifications (I-9): one LISTEN connection per process on `crm_notifications` (sent by
the insert trigger at commit, so a notification written by any replica reaches every replica)
fans out to in-process queues, one per open stream. A wake-up only says "look": the stream reads
the user's notifications newer than the last one it sent, so nothing is lost or repeated, and
`Last-Event-ID` resumes after a reconnect. A user's open streams are capped across every process
(slots held as advisory locks by the listener connection, see `open_streams`)."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
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
        self._queries = asyncio.Lock()  # one statement at a time on the listener connection
        self._queues: dict[uuid.UUID, set[asyncio.Queue[int]]] = defaultdict(set)
        self._slots: dict[uuid.UUID, set[int]] = defaultdict(set)  # the slots this process's streams hold
        self._releasing: set[asyncio.Task[None]] = set()

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
            for user_id, slots in self._slots.items():  # the old session's locks went with it
                for slot in slots:
                    await store.try_advisory_lock(conn, slot_key(user_id, slot))
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
        """This process's open streams of the user."""
        return len(self._queues.get(user_id, ()))

    async def open_streams(self, user_id: uuid.UUID, slots: int) -> int:
        """The user's open streams in every process (the slots taken of `slots`)."""
        conn = await self._connection()
        async with self._queries:
            return await store.advisory_locks_held(conn, [slot_key(user_id, s) for s in range(slots)])

    @contextlib.asynccontextmanager
    async def subscribe(self, user_id: uuid.UUID, *, slots: int | None = None
                        ) -> AsyncIterator[asyncio.Queue[int] | None]:
        """A queue of the user's wake-ups; with `slots`, only while one of the user's slots is free
        in every process (else None: two streams opened at once took the last one)."""
        await self.ensure_listening()
        slot = await self._take_slot(user_id, slots) if slots else None
        if slots and slot is None:
            yield None
            return
        queue: asyncio.Queue[int] = asyncio.Queue()
        self._queues[user_id].add(queue)
        try:
            yield queue
        finally:
            self._queues[user_id].discard(queue)
            if not self._queues[user_id]:
                del self._queues[user_id]
            if slot is not None:
                self._release_later(user_id, slot)

    async def _connection(self) -> asyncpg.Connection:
        await self.ensure_listening()
        assert self._conn is not None
        return self._conn

    async def _take_slot(self, user_id: uuid.UUID, slots: int) -> int | None:
        conn = await self._connection()
        async with self._queries:
            for slot in range(slots):
                if slot not in self._slots[user_id] and await store.try_advisory_lock(conn, slot_key(user_id, slot)):
                    self._slots[user_id].add(slot)
                    return slot
        return None

    def _release_later(self, user_id: uuid.UUID, slot: int) -> None:
        """In a task of its own: a stream ends when its client goes, by the cancellation of the
        response's task, in which an await (the unlock) would be cancelled too and leak the slot."""
        self._slots[user_id].discard(slot)
        if not self._slots[user_id]:
            del self._slots[user_id]
        task = asyncio.get_running_loop().create_task(self._unlock(slot_key(user_id, slot)))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    async def _unlock(self, key: int) -> None:
        conn = self._conn
        if conn is None or conn.is_closed():
            return  # the session, and its locks, are gone already
        async with self._queries:
            with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                await store.advisory_unlock(conn, key)

    async def close(self) -> None:
        if self._releasing:
            await asyncio.gather(*self._releasing, return_exceptions=True)
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            await conn.close()


def slot_key(user_id: uuid.UUID, slot: int) -> int:
    """The advisory lock key (64 bits) of a user's stream slot."""
    digest = hashlib.blake2b(f"notification-stream:{user_id}:{slot}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


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
                 lang: str = DEFAULT_LANGUAGE, slots: int | None = None) -> AsyncIterator[str]:
    """Server-Sent Events of one user's notifications, in `lang`: those after `last_event_id` first
    (or only new ones without it), then each new one as it is committed; a comment line every `heartbeat`.
    It ends as soon as `allowed()` says no (the token expired, the user was deactivated): the
    client reconnects with a fresh token, or learns it has none. With `slots`, it ends at once if
    the user's last slot went to another stream opened at the same moment (the client retries)."""
    async with hub.subscribe(user_id, slots=slots) as queue:
        if queue is None:
            yield f"retry: {RETRY_MILLISECONDS}\n\n"
            return
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
