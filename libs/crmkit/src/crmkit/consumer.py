"""Idempotent Kafka consumer with an inbox, retries, a dead-letter topic and manual commits.

For each message: one database transaction inserts (consumer, event_id) into `inbox` and
applies the handler's effect; a duplicate id is skipped. The offset is committed after the
transaction. A handler that keeps failing sends the message to `<topic>.dlq` with the error.
"""
from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TypeVar

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.structs import ConsumerRecord
from pydantic import BaseModel

from crmkit import metrics
from crmkit.db import INFRASTRUCTURE_ERRORS
from crmkit.events import Envelope
from crmkit.logging import bind_ids, clear_ids, get_logger
from crmkit.unit_of_work import MessageContext, bound

log = get_logger(__name__)
Handler = Callable[[asyncpg.Connection, Envelope], Awaitable[None]]
EventModel = TypeVar("EventModel", bound=BaseModel)


def typed(model: type[EventModel],
          handle: Callable[[asyncpg.Connection, Envelope, EventModel], Awaitable[None]]) -> Handler:
    """A handler that receives the event's data validated once into `model` (the consumer's own
    declaration of what it reads of a foreign event), besides the envelope. Data the model refuses
    fails like any handler error: retried, then dead-lettered with pydantic's reason."""
    async def handler(conn: asyncpg.Connection, envelope: Envelope) -> None:
        await handle(conn, envelope, model.model_validate(envelope.data))
    handler.__name__ = getattr(handle, "__name__", "typed_handler")
    return handler
DLQ_SUFFIX = ".dlq"
MAX_OUTAGE_BACKOFF_SECONDS = 10.0


def dlq_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


class _CommitOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka ships no types
    def __init__(self, owner: EventConsumer) -> None:
        self.owner = owner

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self.owner.commit_processed(revoked)
        # forget them: should they come back later, another member may have moved them on,
        # and committing our old offset then would rewind the group
        for tp in revoked:
            self.owner._processed.pop(tp, None)

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        log.info("partitions_assigned", partitions=[f"{tp.topic}:{tp.partition}" for tp in assigned])


class EventConsumer:
    def __init__(
        self,
        *,
        name: str,
        pool: asyncpg.Pool,
        bootstrap: str,
        topics: list[str],
        handlers: Mapping[str, Handler],
        group_id: str | None = None,
        max_attempts: int = 5,
        backoff_seconds: float = 0.2,
    ) -> None:
        self.name = name
        self.pool = pool
        self.bootstrap = bootstrap
        self.topics = topics
        self.handlers = handlers
        self.group_id = group_id or name
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self._processed: dict[TopicPartition, int] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._dlq_producer: AIOKafkaProducer | None = None
        self.assigned = asyncio.Event()

    async def start(self) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            group_id=self.group_id,
            client_id=self.name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_poll_records=500,
        )
        self._consumer.subscribe(self.topics, listener=_CommitOnRevoke(self))
        await self._consumer.start()
        self._dlq_producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap, acks="all", enable_idempotence=True, client_id=f"{self.name}-dlq"
        )
        await self._dlq_producer.start()

    async def stop(self) -> None:
        consumer, producer = self._consumer, self._dlq_producer
        self._consumer = self._dlq_producer = None
        try:
            if consumer is not None:
                await self._commit(consumer, list(self._processed))
                await consumer.stop()
        finally:
            self._processed.clear()
            self.assigned.clear()
            if producer is not None:
                await producer.stop()

    async def run(self) -> None:
        try:
            await self.start()  # inside the try: a half-started consumer is stopped too
            assert self._consumer is not None
            while True:
                batches = await self._consumer.getmany(timeout_ms=500)
                if self._consumer.assignment():
                    self.assigned.set()
                for tp, records in batches.items():
                    for record in records:
                        await self.process(record)
                        self._processed[tp] = record.offset + 1
                    await self.commit_processed([tp])
                self._report_lag()
        finally:
            await self.stop()

    def _report_lag(self) -> None:
        """Messages between what this consumer handled and the partition ends, summed per topic."""
        lag: dict[str, int] = {}
        assert self._consumer is not None
        for tp in self._consumer.assignment():
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                handled = self._processed.get(tp, highwater)
                lag[tp.topic] = lag.get(tp.topic, 0) + max(highwater - handled, 0)
        for topic, behind in lag.items():
            metrics.CONSUMER_LAG.labels(self.name, topic).set(behind)

    async def commit_processed(self, partitions: Iterable[TopicPartition]) -> None:
        if self._consumer is not None:
            await self._commit(self._consumer, partitions)

    async def _commit(self, consumer: AIOKafkaConsumer, partitions: Iterable[TopicPartition]) -> None:
        offsets = {tp: self._processed[tp] for tp in partitions if tp in self._processed}
        if offsets:
            try:
                await consumer.commit(offsets)
            except Exception as exc:  # commit failure means redelivery; the inbox absorbs it
                log.warning("consumer_commit_failed", consumer=self.name, error=repr(exc))

    async def process(self, record: ConsumerRecord) -> None:
        try:
            envelope = Envelope.from_bytes(record.value)
        except Exception as exc:
            await self._dead_letter(record, f"unreadable envelope: {exc!r}")
            return
        handler = self.handlers.get(envelope.type)
        if handler is None:
            return
        bind_ids(correlation_id=envelope.correlation_id)
        context = MessageContext(actor=envelope.actor, correlation_id=envelope.correlation_id,
                                 causation_id=str(envelope.id))
        try:
            with bound(context):  # what the handler publishes is caused by this event
                await self._handle_with_retries(record, envelope, handler)
        finally:
            clear_ids()

    async def _handle_with_retries(self, record: ConsumerRecord, envelope: Envelope, handler: Handler) -> None:
        """Handler errors are retried with backoff, then dead-lettered. An unreachable database is
        not the event's fault: consumption pauses until it is back instead of filling the DLQ."""
        attempt = outage = 0
        while True:
            try:
                handled = await self.handle(envelope, handler)
                metrics.EVENTS_HANDLED.labels(self.name, envelope.type, "ok" if handled else "duplicate").inc()
                log.info("event_handled", type=envelope.type, event_id=str(envelope.id), duplicate=not handled)
                return
            except INFRASTRUCTURE_ERRORS as exc:
                outage += 1
                log.warning("event_handler_waiting_for_database", type=envelope.type, error=repr(exc))
                await asyncio.sleep(min(self.backoff_seconds * 2 ** min(outage, 10), MAX_OUTAGE_BACKOFF_SECONDS))
            except Exception as exc:
                attempt += 1
                log.warning("event_handler_failed", type=envelope.type, attempt=attempt, error=repr(exc))
                if attempt >= self.max_attempts:
                    metrics.EVENTS_HANDLED.labels(self.name, envelope.type, "dead_letter").inc()
                    await self._dead_letter(record, "".join(traceback.format_exception_only(exc)).strip())
                    return
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))

    async def handle(self, envelope: Envelope, handler: Handler) -> bool:
        """Apply one event exactly once. Returns False when it was a duplicate."""
        async with self.pool.acquire() as conn, conn.transaction():
            inserted = await conn.fetchval(
                "INSERT INTO inbox(consumer, event_id, event_type) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING RETURNING true",
                self.name, envelope.id, envelope.type,
            )
            if not inserted:
                return False
            await handler(conn, envelope)
            return True

    async def _dead_letter(self, record: ConsumerRecord, error: str) -> None:
        headers = list(record.headers or []) + [
            ("dlq_error", error[:4000].encode()),
            ("dlq_consumer", self.name.encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
        ]
        assert self._dlq_producer is not None
        await self._dlq_producer.send_and_wait(
            dlq_topic(record.topic), value=record.value, key=record.key, headers=headers
        )
        log.error("event_dead_lettered", topic=record.topic, offset=record.offset, error=error)
