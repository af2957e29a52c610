"""Consumers and the relay across a PostgreSQL restart: nothing dead-lettered, nothing lost or
applied twice.

This stops the PostgreSQL server that the other tests use, so, like the broker restart, it is
marked to run after every other test of the session, and the server is always started again.
"""
from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from crmkit import outbox, testing
from crmkit.consumer import EventConsumer, dlq_topic
from crmkit.db import create_pool, migrate
from crmkit.events import Envelope
from crmkit.outbox import OutboxRelay, make_producer
from crmkit.testing import CRM_LOCAL, crm_local, eventually, read_topic

pytestmark = pytest.mark.database_restart
BEFORE, DURING, AFTER = 20, 30, 10


async def _effects(pool: asyncpg.Pool) -> tuple[int, int]:
    """(events applied, the largest number of times one was applied) — (0, 0) while PostgreSQL is down."""
    try:
        row = await pool.fetchrow("SELECT count(*) AS n, coalesce(max(times), 0) AS most FROM effects")
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return 0, 0
    return row["n"], row["most"]


async def test_consumer_pauses_and_relay_resumes_across_a_database_restart(bootstrap, unique_name):
    assert CRM_LOCAL.exists(), CRM_LOCAL
    source, published_to = testing.unique_topic("crmkit-outage"), testing.unique_topic("crmkit-outage-out")
    await testing.create_topics(bootstrap, source, dlq_topic(source), published_to)
    async with testing.temp_database(prefix="crmkit") as dsn:
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn, None)
            await conn.execute("CREATE TABLE effects (event_id uuid PRIMARY KEY, times int NOT NULL)")
        finally:
            await conn.close()
        pool = await create_pool(dsn, min_size=1, max_size=4)

        async def apply(conn: asyncpg.Connection, envelope: Envelope) -> None:
            await conn.execute("INSERT INTO effects VALUES ($1, 1)"
                               " ON CONFLICT (event_id) DO UPDATE SET times = effects.times + 1", envelope.id)

        consumer = EventConsumer(name=unique_name, pool=pool, bootstrap=bootstrap, topics=[source],
                                 handlers={"crmkit_test.happened": apply}, max_attempts=3, backoff_seconds=0.1)
        relay = OutboxRelay(dsn=dsn, service=unique_name, poll_seconds=0.2, lock_retry_seconds=0.5,
                            producer_factory=lambda: make_producer(bootstrap, f"{unique_name}-outbox"))
        tasks = [asyncio.create_task(consumer.run()), asyncio.create_task(relay.run())]
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
        await producer.start()

        async def send(count: int) -> None:
            for i in range(count):
                envelope = Envelope(type="crmkit_test.happened", source="crmkit-tests", subject=f"s-{i % 3}")
                await producer.send_and_wait(source, envelope.to_bytes(), key=envelope.subject.encode())

        try:
            await send(BEFORE)
            await eventually(lambda: _is(_effects(pool), (BEFORE, 1)), timeout=30, message="first events applied")
            try:
                await crm_local("pg-stop")
                await send(DURING)
                await asyncio.sleep(4)  # the consumer meets the outage: it must wait, not dead-letter
            finally:
                await crm_local("pg-start")
            await eventually(lambda: _is(_effects(pool), (BEFORE + DURING, 1)), timeout=120, interval=0.5,
                             message="events sent during the outage applied once each")

            async with pool.acquire() as c, c.transaction():  # the relay reconnects by itself
                for i in range(AFTER):
                    await outbox.add(c, published_to, Envelope(type="crmkit_test.happened", source="crmkit-tests",
                                                               subject=f"after-{i}"))
            published = await read_topic(bootstrap, published_to, min_count=AFTER, timeout=60)
            assert len(published) == AFTER
            assert await read_topic(bootstrap, dlq_topic(source), timeout=2) == []
        finally:
            await producer.stop()
            relay.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await pool.close()
            with contextlib.suppress(Exception):
                await testing.delete_topics(bootstrap, source, dlq_topic(source), published_to)


async def _is(awaitable, expected) -> bool:
    return await awaitable == expected
