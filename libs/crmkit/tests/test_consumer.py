"""Idempotent consumer, dead-letter topic and replay against the real PostgreSQL and Kafka."""
from __future__ import annotations

import asyncio
import contextlib
import sys
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from prometheus_client import REGISTRY

from crmkit import dlq
from crmkit.consumer import EventConsumer, dlq_topic
from crmkit.events import Envelope
from crmkit.testing import eventually, read_topic

TYPE = "crmkit_test.happened"


def handled(consumer: str, outcome: str, type_: str = TYPE) -> float:
    value = REGISTRY.get_sample_value("crm_events_handled_total",
                                      {"service": consumer, "type": type_, "outcome": outcome})
    return value or 0.0


@pytest.fixture
async def effects(pool):
    await pool.execute("CREATE TABLE effects (event_id uuid NOT NULL, note text)")  # no unique key on purpose
    return pool


async def record_effect(conn, envelope: Envelope) -> None:
    await conn.execute("INSERT INTO effects(event_id, note) VALUES ($1, $2)", envelope.id,
                       envelope.data.get("note", ""))


async def effect_count(pool, event_id: uuid.UUID) -> int:
    return await pool.fetchval("SELECT count(*) FROM effects WHERE event_id = $1", event_id)


@pytest.fixture
async def producer(bootstrap):
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    yield producer
    await producer.stop()


async def send(producer: AIOKafkaProducer, topic: str, envelope: Envelope) -> None:
    await producer.send_and_wait(topic, value=envelope.to_bytes(), key=envelope.subject.encode(),
                                 headers=envelope.kafka_headers())


@contextlib.asynccontextmanager
async def consuming(consumer: EventConsumer):
    task = asyncio.create_task(consumer.run())
    try:
        await eventually(lambda: consumer.assigned.is_set() or task.done(), message="partitions assigned")
        if task.done():
            task.result()  # raises what made it stop
        yield task
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def committed_offset(bootstrap: str, group: str, tp: TopicPartition) -> int | None:
    client = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await client.start()
    try:
        return await client.committed(tp)
    finally:
        await client.stop()


async def reset_group(bootstrap: str, group: str, tp: TopicPartition, offset: int = 0) -> None:
    """What an operator does with kafka-consumer-groups --reset-offsets (the group is empty)."""
    client = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await client.start()
    try:
        client.assign([tp])
        await client.commit({tp: offset})
    finally:
        await client.stop()


def _envelope(note: str = "", subject: str = "agg-1") -> Envelope:
    return Envelope(type=TYPE, source="crmkit-tests", subject=subject, data={"note": note})


async def test_redelivered_event_has_exactly_one_effect(effects, bootstrap, topic, producer, unique_name):
    pool = effects
    name, group = unique_name, unique_name + "-group"
    tp = TopicPartition(topic, 0)
    envelope, marker = _envelope("twice"), _envelope("marker")

    def make() -> EventConsumer:
        return EventConsumer(name=name, group_id=group, pool=pool, bootstrap=bootstrap, topics=[topic],
                             handlers={TYPE: record_effect}, backoff_seconds=0.01)

    async with consuming(make()):
        await send(producer, topic, envelope)
        await send(producer, topic, envelope)  # the same envelope again (a producer retry, a replay)
        await send(producer, topic, marker)
        await eventually(lambda: handled(name, "duplicate") == 1 and handled(name, "ok") == 2,
                         message="both copies and the marker handled")
        await eventually(lambda: _is(committed_offset(bootstrap, group, tp), 3), message="offsets committed")
    assert await effect_count(pool, envelope.id) == 1
    assert await effect_count(pool, marker.id) == 1

    # the group starts again from offset 0 (offsets reset, or never committed): nothing happens twice
    await reset_group(bootstrap, group, tp, 0)
    assert await committed_offset(bootstrap, group, tp) == 0
    async with consuming(make()):
        await eventually(lambda: handled(name, "duplicate") == 4, message="re-consumed from offset 0")
        await eventually(lambda: _is(committed_offset(bootstrap, group, tp), 3), message="offsets committed again")

    # another group, same consumer name (= same inbox key), nothing committed ever: same result
    fresh = EventConsumer(name=name, group_id=group + "-fresh", pool=pool, bootstrap=bootstrap, topics=[topic],
                          handlers={TYPE: record_effect})
    async with consuming(fresh):
        await eventually(lambda: handled(name, "duplicate") == 7, message="re-consumed by a fresh group")

    assert handled(name, "ok") == 2
    assert await effect_count(pool, envelope.id) == 1
    assert await effect_count(pool, marker.id) == 1
    inbox = await pool.fetch("SELECT consumer, event_id, event_type FROM inbox ORDER BY received_at")
    assert [(r["consumer"], r["event_id"], r["event_type"]) for r in inbox] == [
        (name, envelope.id, TYPE), (name, marker.id, TYPE)]


async def _is(awaitable, expected) -> bool:
    return await awaitable == expected


async def test_other_consumers_and_unknown_types(effects, bootstrap, topic, producer, unique_name):
    """Each consumer (service) has its own inbox key; types without a handler are skipped."""
    pool = effects
    first = EventConsumer(name=unique_name + "-a", pool=pool, bootstrap=bootstrap, topics=[topic],
                          handlers={TYPE: record_effect})
    second = EventConsumer(name=unique_name + "-b", pool=pool, bootstrap=bootstrap, topics=[topic],
                           handlers={TYPE: record_effect})
    envelope = _envelope("both")
    other = Envelope(type="crmkit_test.other", source="crmkit-tests", subject="x")
    async with consuming(first), consuming(second):
        await send(producer, topic, other)
        await send(producer, topic, envelope)
        await eventually(lambda: handled(first.name, "ok") == 1 and handled(second.name, "ok") == 1)
    assert await effect_count(pool, envelope.id) == 2
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", other.id) == 0


async def test_failing_handler_goes_to_the_dlq_and_replay_applies_it_once(
        effects, bootstrap, topic, producer, unique_name):
    pool = effects
    broken = {"on": True}
    attempts: dict[uuid.UUID, int] = {}

    async def fragile(conn, envelope: Envelope) -> None:
        attempts[envelope.id] = attempts.get(envelope.id, 0) + 1
        await record_effect(conn, envelope)  # rolled back with the transaction when we raise
        if broken["on"] and envelope.data["note"] == "poison":
            raise RuntimeError("handler is broken: cannot apply poison")

    consumer = EventConsumer(name=unique_name, pool=pool, bootstrap=bootstrap, topics=[topic],
                             handlers={TYPE: fragile}, max_attempts=3, backoff_seconds=0.01)
    poison, after = _envelope("poison", subject="p-1"), _envelope("after")
    async with consuming(consumer):
        await send(producer, topic, poison)
        await send(producer, topic, after)
        # the consumer moved on to the next message
        await eventually(lambda: _is(effect_count(pool, after.id), 1), message="next message handled")
        assert attempts[poison.id] == 3
        assert await effect_count(pool, poison.id) == 0
        assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", poison.id) == 0
        assert handled(unique_name, "dead_letter") == 1

        letters = await read_topic(bootstrap, dlq_topic(topic), min_count=1)
        assert len(letters) == 1
        letter = letters[0]
        headers = {k: v.decode() for k, v in letter.headers}
        assert letter.value == poison.to_bytes()
        assert letter.key == b"p-1"
        assert "handler is broken" in headers["dlq_error"] and "RuntimeError" in headers["dlq_error"]
        assert headers["dlq_consumer"] == unique_name
        assert headers["dlq_original_topic"] == topic
        assert headers["dlq_original_partition"] == "0"
        assert headers["dlq_original_offset"] == "0"
        assert headers["ce_id"] == str(poison.id)  # the CloudEvents headers travel along

        listed = await dlq.list_dead_letters(bootstrap, topic)
        assert [(d["event_id"], d["original_offset"]) for d in listed] == [(str(poison.id), "0")]
        assert "handler is broken" in listed[0]["error"]

        # fix the handler, replay: applied exactly once
        broken["on"] = False
        assert await dlq.replay(bootstrap, topic) == 1
        await eventually(lambda: _is(effect_count(pool, poison.id), 1), message="replayed event applied")
        assert await dlq.replay(bootstrap, topic) == 0  # already replayed
        # a second copy of the replayed event (e.g. replayed again by hand) changes nothing
        await send(producer, topic, poison)
        await eventually(lambda: handled(unique_name, "duplicate") == 1)

    assert await effect_count(pool, poison.id) == 1
    assert await effect_count(pool, after.id) == 1
    replayed = await read_topic(bootstrap, topic, min_count=4)
    assert not any(k.startswith("dlq_") for r in replayed for k, _ in r.headers)


async def test_unreadable_message_goes_to_the_dlq(effects, bootstrap, topic, producer, unique_name):
    consumer = EventConsumer(name=unique_name, pool=effects, bootstrap=bootstrap, topics=[topic],
                             handlers={TYPE: record_effect})
    good = _envelope("good")
    async with consuming(consumer):
        await producer.send_and_wait(topic, value=b"{not json", key=b"k")
        await send(producer, topic, good)
        await eventually(lambda: _is(effect_count(effects, good.id), 1))
    letters = await read_topic(bootstrap, dlq_topic(topic), min_count=1)
    assert [r.value for r in letters] == [b"{not json"]
    assert "unreadable envelope" in dict(letters[0].headers)["dlq_error"].decode()


async def test_empty_dlq_and_the_cli(bootstrap, topic):
    assert await dlq.list_dead_letters(bootstrap, topic) == []
    assert await dlq.replay(bootstrap, topic) == 0
    for command in ("list", "replay"):
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "crmkit.dlq", command, "--topic", topic, "--bootstrap", bootstrap,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), timeout=120)
        assert process.returncode == 0, err.decode()
        if command == "replay":
            assert "replayed 0 dead letters" in err.decode()
        else:
            assert out.decode().strip() == ""


async def test_rebalance_never_rewinds_the_group(effects, bootstrap, producer, unique_name):
    """A consumer that lost a partition must not later commit its old offset for it."""
    from crmkit import testing

    topic = testing.unique_topic("crmkit-test")
    await testing.create_topics(bootstrap, topic, dlq_topic(topic), partitions=2)
    p0, p1 = TopicPartition(topic, 0), TopicPartition(topic, 1)
    group = unique_name + "-group"

    def member(suffix: str) -> EventConsumer:
        return EventConsumer(name=unique_name, group_id=group, pool=effects, bootstrap=bootstrap,
                             topics=[topic], handlers={TYPE: record_effect})

    async def send_to(tp: TopicPartition, envelope: Envelope) -> None:
        await producer.send_and_wait(topic, value=envelope.to_bytes(), partition=tp.partition,
                                     headers=envelope.kafka_headers())

    def assignment(c: EventConsumer) -> set:
        return set(c._consumer.assignment()) if c._consumer is not None else set()

    try:
        a = member("a")
        async with consuming(a):
            await eventually(lambda: assignment(a) == {p0, p1}, timeout=30)
            await send_to(p0, _envelope("a0"))
            await send_to(p1, _envelope("a1"))
            await eventually(lambda: handled(unique_name, "ok") == 2)
            b = member("b")
            async with consuming(b):
                await eventually(lambda: len(assignment(a)) == 1 and len(assignment(b)) == 1, timeout=30,
                                 message="partitions shared by the two members")
                moved = next(iter(assignment(b)))
                for i in range(2):
                    await send_to(moved, _envelope(f"b{i}"))
                await eventually(lambda: _is(committed_offset(bootstrap, group, moved), 3), timeout=30)
            # b left: a gets the partition back, with nothing new to read on it
            await eventually(lambda: assignment(a) == {p0, p1}, timeout=30, message="a has both partitions again")
        assert await committed_offset(bootstrap, group, moved) == 3
        assert handled(unique_name, "ok") == 4 and handled(unique_name, "duplicate") == 0
    finally:
        with contextlib.suppress(Exception):
            await testing.delete_topics(bootstrap, topic, dlq_topic(topic))


async def test_a_database_outage_pauses_the_event_instead_of_dead_lettering_it(effects, unique_name):
    outage = {"left": 3}

    async def flaky_database(conn, envelope: Envelope) -> None:
        if outage["left"]:
            outage["left"] -= 1
            raise ConnectionRefusedError("database unreachable")
        await record_effect(conn, envelope)

    consumer = EventConsumer(name=unique_name, pool=effects, bootstrap="unused:0", topics=["t"],
                             handlers={TYPE: flaky_database}, max_attempts=1, backoff_seconds=0.01)
    event = _envelope("after the outage")
    await consumer._handle_with_retries(None, event, flaky_database)  # no record needed: never dead-lettered
    assert await effect_count(effects, event.id) == 1
    assert handled(unique_name, "dead_letter") == 0
