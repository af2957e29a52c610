"""Identity events reach Kafka through the relay; bootstrap and the demo loader are idempotent."""
from __future__ import annotations

import asyncio
import uuid

import orjson
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaConnectionError

from crmkit import testing
from crmkit.db import create_pool

from crm_gateway import demo
from crm_gateway.app import MIGRATIONS, load_signer, new_passwords
from crm_gateway.events import TOPIC
from crm_gateway.handlers.bootstrap import ensure_admin
from crm_gateway.handlers.common import Identity


async def _started_consumer(timeout: float = 60) -> AIOKafkaConsumer:
    """The shared broker may be restarting (other suites use it): retry the bootstrap, bounded."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        consumer = AIOKafkaConsumer(bootstrap_servers=testing.kafka_bootstrap(), enable_auto_commit=False,
                                    group_id=f"gw-test-{uuid.uuid4().hex}", auto_offset_reset="latest")
        try:
            await consumer.start()
            return consumer
        except KafkaConnectionError:
            await consumer.stop()
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(1)


async def _consumer_at_end() -> AIOKafkaConsumer:
    consumer = await _started_consumer()
    try:
        consumer.subscribe([TOPIC])  # created by deploy/local/crm-local kafka-start
        deadline = asyncio.get_running_loop().time() + 30
        while not consumer.assignment():
            assert asyncio.get_running_loop().time() < deadline, "no partition assigned"
            await consumer.getmany(timeout_ms=200)
        partitions = list(consumer.assignment())
        await consumer.seek_to_end(*partitions)
        for partition in partitions:
            await consumer.position(partition)
    except BaseException:
        await consumer.stop()
        raise
    return consumer


async def test_unit_created_reaches_kafka_through_the_relay(gw, org, root_unit):
    consumer = await _consumer_at_end()
    try:
        unit = await org.unit("branch", root_unit["id"])
        envelope = await _wait_for(consumer, lambda e: e["subject"] == unit["id"], timeout=60)
    finally:
        await consumer.stop()
    assert envelope["type"] == "unit.created" and envelope["source"] == "gateway"
    assert envelope["data"]["path"] == unit["path"]
    assert envelope["actor"] != "system"


async def _wait_for(consumer: AIOKafkaConsumer, matches, *, timeout: float) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        batches = await consumer.getmany(timeout_ms=500)
        for records in batches.values():
            for record in records:
                envelope = orjson.loads(record.value)
                if matches(envelope):
                    assert record.key.decode() == envelope["subject"]
                    assert dict(record.headers)["ce_type"].decode() == envelope["type"]
                    return envelope
    raise AssertionError("event not received from Kafka")


async def test_bootstrap_and_demo_are_idempotent(make_settings, capsys):
    async with testing.temp_database(MIGRATIONS, prefix="gwdemo") as dsn:
        settings = make_settings(database_url=dsn, root_unit_name="Công ty")
        pool = await create_pool(dsn, min_size=1, max_size=8)
        try:
            identity = Identity(pool=pool, settings=settings, passwords=new_passwords(settings),
                                signer=load_signer(settings))
            await asyncio.gather(*(ensure_admin(identity=identity) for _ in range(3)))  # three replicas
            assert await pool.fetchval("SELECT count(*) FROM users WHERE 'admin' = ANY(roles)") == 1

            first = await demo.load_demo(identity)
            counts = await _counts(pool)
            second = await demo.load_demo(identity)
            assert await _counts(pool) == counts
        finally:
            await pool.close()
    assert first.api_key and second.api_key is None and second.created == []
    assert counts["units"] == 1 + 2 * (1 + 1 + 2)
    by_name = {row["username"]: row for row in first.users}
    assert set(by_name) == {u.username for u in demo.DEMO_USERS}
    assert by_name["lead.hn1"]["unit_path"].startswith(by_name["manager.hn"]["unit_path"])
    assert by_name["sale.hn2"]["unit_id"] == by_name["lead.hn1"]["unit_id"]
    assert by_name["sale.hn1"]["full_name"] == "Phạm Thị Hương"
    text = demo.render(first, settings)
    assert "admin" in text and first.api_key in text and "sale.hcm2" in text


async def _counts(pool) -> dict:
    return {table: await pool.fetchval(f"SELECT count(*) FROM {table}")
            for table in ("units", "users", "api_keys", "outbox")}


async def test_demo_users_can_log_in(make_settings, h):
    async with testing.temp_database(MIGRATIONS, prefix="gwdemo") as dsn:
        settings = make_settings(database_url=dsn)
        await demo.run(settings)
        async with h.running(settings) as gateway:
            pair = await h.login(gateway.client, "sale.hn3", demo.DEMO_PASSWORD)
            me = (await gateway.client.get("/api/v1/me", headers=h.bearer(pair["access_token"]))).json()
            assert me["full_name"] == "Vũ Thị Lan" and me["roles"] == ["sales"]
            manager = h.bearer((await h.login(gateway.client, "manager.hn", demo.DEMO_PASSWORD))["access_token"])
            visible = (await gateway.client.get("/api/v1/users", headers=manager, params={"limit": 200})).json()
            assert {u["username"] for u in visible["items"]} == {"manager.hn", "lead.hn1", "sale.hn1", "sale.hn2",
                                                                 "sale.hn3"}


def test_the_demo_customers_are_realistic_and_the_same_on_every_run():
    from crm_gateway import demo_customers

    planned = demo_customers.plan()
    assert [c.fields for c in planned] == [c.fields for c in demo_customers.plan()]  # seeded
    assert len(planned) == sum(demo_customers.CUSTOMERS_OF.values()) >= 300
    assert set(demo_customers.CUSTOMERS_OF) <= {u.username for u in demo.DEMO_USERS}
    phones = [c.fields["phone"] for c in planned]
    assert len(set(phones)) == len(phones)
    assert all(len(p) == 10 and p[:3] in demo_customers.MOBILE_PREFIXES and p.isdigit() for p in phones)
    assert all(sum(label in demo_customers.TEMPERATURES for label in c.fields["labels"]) <= 1 for c in planned)
    assert sum(any(ch in "ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữự" for ch in c.fields["name"].lower())
               for c in planned) > len(planned) // 2
    assert {c.fields["province"] for c in planned if c.branch == "hcm"}.isdisjoint(demo_customers.PROVINCES["hn"])
    assert len({c.fields["status"] for c in planned}) >= 5
    assert sum(bool(c.note or c.call or c.comment or c.care) for c in planned) > len(planned) // 3
