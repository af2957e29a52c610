"""Transactional outbox and its relay to Kafka.

`add(conn, ...)` is called inside the business transaction; the relay publishes committed rows
in id order and marks them published only after the broker acknowledged them. One relay per
service is active at a time (session advisory lock); another replica takes over when it dies.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import asyncpg
import orjson
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel

from crmkit import events, metrics
from crmkit.db import advisory_key, init_connection
from crmkit.logging import get_logger

log = get_logger(__name__)
NOTIFY_CHANNEL = "crm_outbox"


# Kafka refuses a record above the broker's `message.max.bytes` (1 MiB by default) and the relay
# publishes in order, so one oversized row would stop a service's whole event stream. An event
# that big is refused here, in the transaction that writes it: split the batch instead.
MAX_EVENT_BYTES = 1_000_000


class EventTooLarge(ValueError):
    """An event whose JSON exceeds MAX_EVENT_BYTES: a programming error (batch chunks too big)."""


def _payload(envelope: events.Envelope) -> str:
    """The envelope as JSON text, serialized once: measured here, stored as is (`$5::text::jsonb`)."""
    payload = envelope.to_bytes()
    if len(payload) > MAX_EVENT_BYTES:
        raise EventTooLarge(f"{envelope.type} is {len(payload)} bytes of JSON, above {MAX_EVENT_BYTES}:"
                            " use smaller chunks")
    return payload.decode()


async def add(conn: asyncpg.Connection, topic: str, envelope: events.Envelope) -> None:
    await conn.execute(
        "INSERT INTO outbox(event_id, topic, key, event_type, payload) VALUES ($1, $2, $3, $4, $5::text::jsonb)",
        envelope.id, topic, envelope.subject, envelope.type, _payload(envelope),
    )
    await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")


async def publish(conn: asyncpg.Connection, data: BaseModel, **envelope_fields: Any) -> events.Envelope:
    """Build the envelope of a registered event and add it to the outbox."""
    topic, envelope = events.build(data, **envelope_fields)
    await add(conn, topic, envelope)
    return envelope


async def add_many(conn: asyncpg.Connection, items: list[tuple[str, events.Envelope]]) -> None:
    await conn.executemany(
        "INSERT INTO outbox(event_id, topic, key, event_type, payload) VALUES ($1, $2, $3, $4, $5::text::jsonb)",
        [(e.id, t, e.subject, e.type, _payload(e)) for t, e in items],
    )
    await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")


def make_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    # aiokafka defaults to acks=1 and no idempotence: both are set explicitly.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=60_000,
        retry_backoff_ms=250,
        compression_type=None,
    )


PRODUCER_CLOSE_SECONDS = 10.0


async def _close_producer(producer: AIOKafkaProducer, timeout: float) -> None:
    """Stop a producer, flushing what it holds, but never hang.

    An idempotent aiokafka producer retries unacknowledged batches for as long as the broker is
    away, so `stop()` (which flushes) could wait forever, e.g. at shutdown during an outage. After
    `timeout` the batches are dropped: their rows are still unpublished and will be sent again.
    """
    stopping = asyncio.ensure_future(producer.stop())
    try:
        await asyncio.wait_for(asyncio.shield(stopping), timeout)
        return
    except TimeoutError:
        log.warning("outbox_producer_close_timeout", seconds=timeout)
    except Exception as exc:
        log.warning("outbox_producer_close_failed", error=repr(exc))
        return
    sender = getattr(producer, "_sender", None)  # aiokafka internals: cancel the retrying sender
    with contextlib.suppress(Exception):
        if sender is not None:
            await sender.close()
    with contextlib.suppress(Exception, asyncio.TimeoutError):
        await asyncio.wait_for(stopping, timeout)


class OutboxRelay:
    def __init__(
        self,
        *,
        dsn: str,
        service: str,
        producer_factory: Callable[[], AIOKafkaProducer],
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        lock_retry_seconds: float = 2.0,
    ) -> None:
        self.dsn = dsn
        self.service = service
        self.producer_factory = producer_factory
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.lock_retry_seconds = lock_retry_seconds
        self.is_leader = False
        self.producer_close_seconds = PRODUCER_CLOSE_SECONDS
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()

    async def run(self) -> None:
        """Forever: win the lock, publish until the connection or broker fails, retry.

        Each leadership term has its own connection and its own producer: after a failure
        (database connection lost, broker down, unacknowledged batch) both are recreated.
        """
        while not self._stopped.is_set():
            try:
                await self._lead()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # connection loss, broker down: back off and try again
                log.warning("outbox_relay_error", service=self.service, error=repr(exc))
                self.is_leader = False
                await self._pause(self.lock_retry_seconds)

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    async def _pause(self, seconds: float) -> None:
        """Sleep, but return at once when stopped."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), timeout=seconds)

    async def _lead(self) -> None:
        conn = await asyncpg.connect(self.dsn)
        try:
            await init_connection(conn)  # payload is jsonb: decode it like the pool does
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", advisory_key(f"outbox:{self.service}")):
                await self._pause(self.lock_retry_seconds)
                return
            self.is_leader = True
            log.info("outbox_relay_leader", service=self.service)
            await conn.add_listener(NOTIFY_CHANNEL, self._on_notify)
            producer = self.producer_factory()
            try:
                await producer.start()
                await self._publish_loop(conn, producer)
            finally:
                await _close_producer(producer, self.producer_close_seconds)
        finally:
            self.is_leader = False
            with contextlib.suppress(Exception):
                await conn.close()

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

    async def _publish_loop(self, conn: asyncpg.Connection, producer: AIOKafkaProducer) -> None:
        while not self._stopped.is_set():
            # cleared before reading, so that a NOTIFY arriving during the batch is not lost
            self._wake.clear()
            published = await self.publish_batch(conn, producer)
            if published == self.batch_size:
                continue
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)

    async def publish_batch(self, conn: asyncpg.Connection, producer: AIOKafkaProducer) -> int:
        """Send the oldest unpublished rows; mark as published exactly those the broker acknowledged.

        Raises when any send failed (the caller starts over with a new producer); the failed
        rows stay unpublished and are sent again.
        """
        rows = await conn.fetch(
            "SELECT id, topic, key, payload, created_at FROM outbox"
            " WHERE published_at IS NULL ORDER BY id LIMIT $1",
            self.batch_size,
        )
        if not rows:
            metrics.OUTBOX_LAG.labels(self.service).set(0)
            return 0
        metrics.OUTBOX_LAG.labels(self.service).set(max(0.0, time.time() - rows[0]["created_at"].timestamp()))
        futures: list[asyncio.Future[Any]] = []
        failure: BaseException | None = None
        for row in rows:
            try:
                envelope = events.Envelope.model_validate(row["payload"])
                futures.append(
                    await producer.send(
                        row["topic"], value=orjson.dumps(row["payload"]), key=row["key"].encode(),
                        headers=envelope.kafka_headers(),
                    )
                )
            except Exception as exc:  # metadata timeout, buffer full: send no further rows
                failure = exc
                break
        results = await asyncio.gather(*futures, return_exceptions=True)
        acked = [row["id"] for row, result in zip(rows, results) if not isinstance(result, BaseException)]
        if acked:
            await conn.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", acked)
            metrics.OUTBOX_PUBLISHED.labels(self.service).inc(len(acked))
        failure = failure or next((r for r in results if isinstance(r, BaseException)), None)
        if failure is not None:
            raise failure
        return len(rows)


async def forget_published(conn: asyncpg.Connection, *, subjects: list[str]) -> int:
    """An erasure (Decree 13/2023): published rows about these subjects (the Kafka key) go now
    rather than after the retention; unpublished ones stay, they still have to reach Kafka."""
    result = await conn.execute(
        "DELETE FROM outbox WHERE published_at IS NOT NULL AND key = ANY($1::text[])", subjects)
    return int(result.split()[-1])


async def purge_published(pool: asyncpg.Pool, *, older_than_days: int = 7) -> int:
    result = await pool.execute(
        "DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)", older_than_days
    )
    return int(result.split()[-1])

