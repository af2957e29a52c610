"""The relay across a broker restart: nothing lost, nothing duplicated.

This stops the Kafka broker that the other tests use, so it is marked `broker_restart`, its file
sorts last (and conftest moves it to the end of the session), and Kafka is always started again.
Deselect it with `-m "not broker_restart"` while others share your broker.
"""
from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass, field

import asyncpg
import pytest

from crmkit import outbox, testing
from crmkit.consumer import dlq_topic
from crmkit.db import create_pool
from crmkit.events import Envelope
from crmkit.outbox import OutboxRelay, make_producer
from crmkit.testing import CRM_LOCAL, crm_local, eventually, read_topic, wait_for_kafka

pytestmark = pytest.mark.broker_restart

N, M = 30, 25


@dataclass
class Case:
    """One service: its database, its topic, its relay task, the ids it committed."""

    name: str
    pool: asyncpg.Pool
    dsn: str
    topic: str
    bootstrap: str
    ids: list[uuid.UUID] = field(default_factory=list)
    relay: OutboxRelay | None = None
    task: asyncio.Task | None = None

    def start_relay(self) -> None:
        self.relay = OutboxRelay(dsn=self.dsn, service=self.name, poll_seconds=0.2, lock_retry_seconds=0.5,
                                 producer_factory=lambda: make_producer(self.bootstrap, f"{self.name}-outbox"))
        self.task = asyncio.create_task(self.relay.run())

    async def stop_relay(self) -> None:
        if self.relay is not None:
            self.relay.stop()
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)

    async def commit(self, count: int, tag: str) -> None:
        for i in range(count):
            async with self.pool.acquire() as conn, conn.transaction():
                envelope = Envelope(type="crmkit_test.happened", source="crmkit-tests", subject=f"{tag}-{i % 4}",
                                    data={"i": i, "tag": tag})
                await outbox.add(conn, self.topic, envelope)
                self.ids.append(envelope.id)

    async def published(self) -> int:
        return await self.pool.fetchval("SELECT count(published_at) FROM outbox")

    async def check_topic(self) -> None:
        records = await read_topic(self.bootstrap, self.topic, min_count=len(self.ids), timeout=60)
        ids = [Envelope.from_bytes(r.value).id for r in records]
        assert len(ids) == len(set(ids)), f"{self.name}: {len(ids) - len(set(ids))} duplicates"
        assert set(ids) == set(self.ids), f"{self.name}: lost or foreign events"
        # per subject (the Kafka key) the order of the outbox is kept
        order = {event_id: i for i, event_id in enumerate(self.ids)}
        by_subject: dict[bytes, list[int]] = {}
        for record, event_id in zip(records, ids):
            by_subject.setdefault(record.key, []).append(order[event_id])
        assert all(positions == sorted(positions) for positions in by_subject.values()), self.name
        assert await self.pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


@contextlib.asynccontextmanager
async def case(name: str, bootstrap: str):
    topic = testing.unique_topic("crmkit-test")
    await testing.create_topics(bootstrap, topic, dlq_topic(topic))
    async with testing.temp_database(prefix="crmkit") as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=5)
        c = Case(name=name, pool=pool, dsn=dsn, topic=topic, bootstrap=bootstrap)
        try:
            yield c
        finally:
            await c.stop_relay()
            await pool.close()
            with contextlib.suppress(Exception):
                await testing.delete_topics(bootstrap, topic, dlq_topic(topic))


async def test_relay_resumes_after_broker_restart(pg_admin, bootstrap, unique_name):
    """Three services through one broker restart:

    - `steady`: its relay runs throughout; its producer holds the batch until the broker is back;
    - `late`: its relay (re)starts while the broker is down, so it fails and starts over until then;
    - `shutdown`: its relay is stopped during the outage with a batch unacknowledged: the stop does
      not hang, the rows stay unpublished, and a new relay publishes them after the restart.
    Each topic must then hold exactly the committed events, once each.
    """
    assert CRM_LOCAL.exists(), CRM_LOCAL
    async with case(unique_name + "-steady", bootstrap) as steady, \
            case(unique_name + "-late", bootstrap) as late, \
            case(unique_name + "-shutdown", bootstrap) as shutdown:
        cases = (steady, late, shutdown)
        for c in (steady, shutdown):
            c.start_relay()
        for c in cases:
            await c.commit(N, "before")
        for c in (steady, shutdown):
            await eventually(lambda c=c: _equals(c.published(), N), message=f"{c.name}: first events published")

        try:
            await crm_local("kafka-stop")
            late.start_relay()
            for c in cases:
                await c.commit(M, "during")
            # let the relays run into the outage: sends wait or fail, nothing is marked published
            await asyncio.sleep(3)
            assert [await c.published() for c in cases] == [N, 0, N]
            shutdown.relay.stop()
            shutdown.task.cancel()
            await eventually(lambda: shutdown.task.done(), timeout=60, message="relay stopped during the outage")
            assert await shutdown.published() == N
        finally:
            await crm_local("kafka-start")
        await wait_for_kafka(bootstrap, timeout=120)
        shutdown.start_relay()

        for c in cases:
            await eventually(lambda c=c: _equals(c.published(), N + M), timeout=180, interval=0.5,
                             message=f"{c.name}: events of the outage published after the restart")
        for c in cases:
            await c.check_topic()


async def _equals(awaitable, expected) -> bool:
    return await awaitable == expected
