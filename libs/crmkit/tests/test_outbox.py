"""Transactional outbox and its relay against the real PostgreSQL and Kafka."""
from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel

from crmkit import events, outbox, testing
from crmkit.events import Envelope
from crmkit.outbox import OutboxRelay, make_producer
from crmkit.testing import eventually, read_topic

SOURCE = "crmkit-tests"


def _envelope(subject: str = "s", **data) -> Envelope:
    return Envelope(type="crmkit_test.happened", source=SOURCE, subject=subject, data=data)


async def _commit(pool, topic: str, count: int, *, subject: str | None = None) -> list[uuid.UUID]:
    ids = []
    for i in range(count):
        async with pool.acquire() as conn, conn.transaction():
            envelope = _envelope(subject or f"subject-{i % 3}", i=i)
            await outbox.add(conn, topic, envelope)
            ids.append(envelope.id)
    return ids


async def _unpublished(pool) -> int:
    return await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")


def _ids(records) -> list[uuid.UUID]:
    return [uuid.UUID(Envelope.from_bytes(r.value).id.hex) for r in records]


@contextlib.asynccontextmanager
async def running(*relays: OutboxRelay):
    tasks = [asyncio.create_task(r.run()) for r in relays]
    try:
        yield tasks
    finally:
        for relay in relays:
            relay.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _relay(db_dsn, bootstrap, service, **kwargs) -> OutboxRelay:
    kwargs.setdefault("poll_seconds", 0.2)
    kwargs.setdefault("lock_retry_seconds", 0.2)
    return OutboxRelay(dsn=db_dsn, service=service,
                       producer_factory=lambda: make_producer(bootstrap, f"{service}-outbox"), **kwargs)


async def test_relay_publishes_exactly_the_committed_rows(pool, db_dsn, bootstrap, topic, unique_name):
    committed = await _commit(pool, topic, 5)

    rolled_back = []
    for i in range(3):
        with pytest.raises(RuntimeError):
            async with pool.acquire() as conn, conn.transaction():
                envelope = _envelope(f"rolled-{i}")
                await outbox.add(conn, topic, envelope)
                rolled_back.append(envelope.id)
                raise RuntimeError("business rule failed after the outbox row was added")
    # add_many, committed
    async with pool.acquire() as conn, conn.transaction():
        batch = [(topic, _envelope(f"many-{i}", i=i)) for i in range(4)]
        await outbox.add_many(conn, batch)
    committed += [e.id for _, e in batch]
    # add_many, rolled back
    with pytest.raises(RuntimeError):
        async with pool.acquire() as conn, conn.transaction():
            lost = [(topic, _envelope(f"lost-{i}")) for i in range(2)]
            await outbox.add_many(conn, lost)
            rolled_back += [e.id for _, e in lost]
            raise RuntimeError("rolled back")

    assert await pool.fetchval("SELECT count(*) FROM outbox") == len(committed)
    async with running(_relay(db_dsn, bootstrap, unique_name)):
        await eventually(lambda: _all_published(pool, len(committed)),
                         message="all rows published")
        # more rows while the relay runs: woken by NOTIFY (or the poll)
        committed += await _commit(pool, topic, 3)
        await eventually(lambda: _all_published(pool, len(committed)), message="new rows published")

    records = await read_topic(bootstrap, topic, min_count=len(committed))
    ids = _ids(records)
    assert ids == committed  # exactly, in commit order (one partition), no duplicates
    assert not set(ids) & set(rolled_back)

    for record in records:
        envelope = Envelope.from_bytes(record.value)
        headers = {k: v.decode() for k, v in record.headers}
        assert headers["ce_id"] == str(envelope.id)
        assert headers["ce_type"] == "crmkit_test.happened"
        assert headers["ce_source"] == SOURCE
        assert headers["ce_specversion"] == "1.0"
        assert "ce_time" in headers and "traceparent" in headers
        assert record.key == envelope.subject.encode()

    rows = await pool.fetch("SELECT event_id, published_at FROM outbox ORDER BY id")
    assert [r["event_id"] for r in rows] == committed
    assert all(r["published_at"] is not None for r in rows)


async def _all_published(pool, expected: int) -> bool:
    row = await pool.fetchrow("SELECT count(*) AS n, count(published_at) AS published FROM outbox")
    return row["n"] == expected and row["published"] == expected


async def test_rows_stay_unpublished_until_the_broker_acknowledges(pool, db_dsn, bootstrap, unique_name):
    """The topic does not exist yet (auto-creation is off): sends fail, rows stay unpublished,
    and they are published once the topic exists."""
    missing = testing.unique_topic("crmkit-test-missing")
    producers: list[AIOKafkaProducer] = []

    def factory() -> AIOKafkaProducer:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True,
                                    request_timeout_ms=1500, retry_backoff_ms=100)
        producers.append(producer)
        return producer

    ids = await _commit(pool, missing, 3)
    relay = OutboxRelay(dsn=db_dsn, service=unique_name, producer_factory=factory, poll_seconds=0.2,
                        lock_retry_seconds=0.2)
    try:
        async with running(relay):
            # at least two producers: the first batch failed and the relay started over
            await eventually(lambda: len(producers) >= 2, timeout=30, message="a failed attempt")
            assert await _unpublished(pool) == 3
            await testing.create_topics(bootstrap, missing)
            await eventually(lambda: _all_published(pool, 3), timeout=30, message="published after topic exists")
        assert _ids(await read_topic(bootstrap, missing, min_count=3)) == ids
    finally:
        with contextlib.suppress(Exception):
            await testing.delete_topics(bootstrap, missing)


async def test_publish_registered_event(pool, db_dsn, bootstrap, topic, unique_name):
    @events.event("crmkit_test.registered", topic=topic)
    class Registered(BaseModel):
        """A registered test event."""

        n: int

    try:
        async with pool.acquire() as conn, conn.transaction():
            envelope = await outbox.publish(conn, Registered(n=7), source=SOURCE, subject="agg-1",
                                            actor="user-1", correlation_id="corr-1")
        async with running(_relay(db_dsn, bootstrap, unique_name)):
            records = await read_topic(bootstrap, topic, min_count=1)
        assert len(records) == 1
        received = Envelope.from_bytes(records[0].value)
        assert received == envelope
        assert received.type == "crmkit_test.registered" and received.data == {"n": 7}
    finally:
        events.REGISTRY.pop(("crmkit_test.registered", 1), None)


async def test_one_active_relay_per_service(pool, db_dsn, bootstrap, topic, unique_name):
    first, second = _relay(db_dsn, bootstrap, unique_name), _relay(db_dsn, bootstrap, unique_name)
    async with running(first, second) as tasks:
        await eventually(lambda: first.is_leader or second.is_leader, message="a leader")
        for _ in range(20):  # watch a while: never two leaders for one service
            assert not (first.is_leader and second.is_leader)
            await asyncio.sleep(0.05)
        leader, follower = (first, second) if first.is_leader else (second, first)
        assert not follower.is_leader

        before = await _commit(pool, topic, 5)
        await eventually(lambda: _all_published(pool, 5), message="published by the leader")

        # the leader dies: its session (and advisory lock) goes away, the other one takes over
        leader_task = tasks[[first, second].index(leader)]
        leader_task.cancel()
        await asyncio.gather(leader_task, return_exceptions=True)
        assert not leader.is_leader
        await eventually(lambda: follower.is_leader, message="the follower takes over")

        after = await _commit(pool, topic, 5)
        await eventually(lambda: _all_published(pool, 10), message="published by the new leader")

    assert _ids(await read_topic(bootstrap, topic, min_count=10)) == before + after


async def test_relay_takes_over_when_the_leaders_connection_is_killed(pool, db_dsn, bootstrap, topic, unique_name):
    first, second = _relay(db_dsn, bootstrap, unique_name), _relay(db_dsn, bootstrap, unique_name)
    async with running(first, second):
        await eventually(lambda: first.is_leader or second.is_leader, message="a leader")
        before = await _commit(pool, topic, 3)
        await eventually(lambda: _all_published(pool, 3))

        # kill the session that holds the advisory lock (a crashed process, a network cut)
        killed = await pool.fetchval(
            "SELECT pg_terminate_backend(pid) FROM pg_locks"
            " WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database"
            " WHERE datname = current_database())")
        assert killed

        after = await _commit(pool, topic, 3)
        await eventually(lambda: _all_published(pool, 6), message="published after the leader's connection died")
        await eventually(lambda: first.is_leader != second.is_leader, message="again exactly one leader")

    assert _ids(await read_topic(bootstrap, topic, min_count=6)) == before + after


async def test_purge_published(pool, topic):
    await _commit(pool, topic, 3)
    await pool.execute("UPDATE outbox SET published_at = now() - interval '8 days' WHERE id IN"
                       " (SELECT id FROM outbox ORDER BY id LIMIT 2)")
    assert await outbox.purge_published(pool, older_than_days=7) == 2
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_an_event_too_big_for_kafka_is_refused_when_written(pool, topic):
    """One oversized row would stop the relay (it publishes in order); it never gets in."""
    big = Envelope(type="crmkit_test.big", source="crmkit-tests", subject="s",
                   data={"ids": [str(uuid.uuid4()) for _ in range(30_000)]})  # ~1.1 MB of JSON
    async with pool.acquire() as conn:
        with pytest.raises(outbox.EventTooLarge):
            async with conn.transaction():
                await outbox.add(conn, topic, big)
        with pytest.raises(outbox.EventTooLarge):
            await outbox.add_many(conn, [(topic, big)])
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
    fits = Envelope(type="crmkit_test.big", source="crmkit-tests", subject="s",
                    data={"ids": [str(uuid.uuid4()) for _ in range(20_000)]})  # ~0.8 MB
    async with pool.acquire() as conn:
        await outbox.add(conn, topic, fits)
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1
