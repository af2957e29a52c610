"""Test helpers shared by the services' test suites (real PostgreSQL and Kafka, never mocks).

The servers come from `deploy/local/crm-local`; on a Docker host, servers started any other way
(docker compose, testcontainers) are used by pointing CRM_TEST_PG_DSN and CRM_KAFKA_BOOTSTRAP at
them. Tests create throwaway databases and unique topics.
"""
from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import asyncpg
import jwt

from crmkit.db import create_pool, migrate


def pg_admin_dsn() -> str:
    return os.environ.get(
        "CRM_TEST_PG_DSN", f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/postgres"
    )


def kafka_bootstrap() -> str:
    return os.environ.get("CRM_KAFKA_BOOTSTRAP", f"127.0.0.1:{os.environ.get('CRM_KAFKA_PORT', '29092')}")


def _with_database(dsn: str, name: str) -> str:
    base, _, _ = dsn.rpartition("/")
    return f"{base}/{name}"


@contextlib.asynccontextmanager
async def temp_database(migrations_dir: Path | None = None, *, prefix: str = "t"):
    """Create a fresh database, apply crmkit's and the service's migrations, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_admin_dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = _with_database(pg_admin_dsn(), name)
    try:
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn, migrations_dir)
        finally:
            await conn.close()
        yield dsn
    finally:
        await _drop_database(name)


async def _drop_database(name: str, attempts: int = 20) -> None:
    """FORCE ends our own leftover connections; an autovacuum worker (a superuser process) cannot be
    ended by the unprivileged test role, so that case is retried until the worker has moved on."""
    admin = await asyncpg.connect(pg_admin_dsn())
    try:
        for attempt in range(attempts):
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except (asyncpg.InsufficientPrivilegeError, asyncpg.ObjectInUseError):
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(0.25)
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def temp_pool(migrations_dir: Path | None = None):
    async with temp_database(migrations_dir) as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=10)
        try:
            yield pool
        finally:
            await pool.close()


def unique_topic(base: str = "t") -> str:
    return f"{base}.{uuid.uuid4().hex[:10]}"


_TOPIC_ALREADY_EXISTS = 36


async def create_topics(bootstrap: str, *names: str, partitions: int = 1, timeout: float = 30.0) -> None:
    """Create topics (existing ones are fine) and wait until every partition has a leader."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        response = await admin.create_topics(
            [NewTopic(n, num_partitions=partitions, replication_factor=1) for n in names],
            timeout_ms=int(timeout * 1000),
        )
        failed = [(e[0], e[1]) for e in response.topic_errors if e[1] not in (0, _TOPIC_ALREADY_EXISTS)]
        if failed:
            raise RuntimeError(f"could not create topics: {failed}")

        async def have_leaders() -> bool:
            described = await admin.describe_topics(list(names))
            return len(described) == len(names) and all(
                t.get("error_code", 0) == 0 and t.get("partitions")
                and all(p.get("leader", -1) >= 0 for p in t["partitions"])
                for t in described
            )

        await eventually(have_leaders, timeout=timeout, message=f"leaders for {names}")
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, *names: str) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(list(names))
    finally:
        await admin.close()


async def wait_for_kafka(bootstrap: str, timeout: float = 60.0) -> None:
    """Wait until the broker answers metadata requests (after a start or a restart)."""
    from aiokafka.admin import AIOKafkaAdminClient

    async def answers() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
        try:
            await admin.start()
            await admin.list_topics()
            return True
        except Exception:
            return False
        finally:
            with contextlib.suppress(Exception):
                await admin.close()

    await eventually(answers, timeout=timeout, interval=0.5, message=f"Kafka at {bootstrap}")


async def eventually(check: Callable[[], Any], *, timeout: float = 20.0, interval: float = 0.1,
                     message: str = "") -> Any:
    """Poll `check` (a function, sync or async) until it returns something truthy and return that.

    Asynchronous outcomes in tests are awaited with this bounded wait, never with a fixed sleep.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not true within {timeout:g}s: {message or getattr(check, '__name__', check)}")
        await asyncio.sleep(interval)


async def read_topic(bootstrap: str, topic: str, *, min_count: int = 0, timeout: float = 20.0) -> list:
    """Every record of `topic` from the beginning up to its current end (read_committed).

    Waits (bounded) until at least `min_count` records are there; the result is everything up to
    the end offsets seen last, so extra records (duplicates) are returned too.
    """
    from aiokafka import AIOKafkaConsumer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        async def partitions():
            described = await admin.describe_topics([topic])
            if described and described[0].get("error_code", 0) == 0:
                return [p["partition"] for p in described[0].get("partitions") or []]
            return None

        parts = await eventually(partitions, timeout=timeout, message=f"metadata of {topic}")
    finally:
        await admin.close()

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", isolation_level="read_committed")
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        records: list = []
        deadline = time.monotonic() + timeout
        while True:
            end = await consumer.end_offsets(tps)
            while any([await consumer.position(tp) < end[tp] for tp in tps]):
                batch = await consumer.getmany(*tps, timeout_ms=500)
                for tp_records in batch.values():
                    records.extend(tp_records)
                if time.monotonic() >= deadline:
                    break
            if len(records) >= min_count or time.monotonic() >= deadline:
                return records
            await asyncio.sleep(0.1)
    finally:
        await consumer.stop()


def sign_test_token(private_pem: bytes, *, user_id: uuid.UUID | None = None, roles=("sales",),
                    unit_id: uuid.UUID | None = None, unit_path: str = "", username: str = "tester",
                    ttl: int = 300, issuer: str = "crm-gateway", **extra) -> str:
    """Issue an access token the way the gateway does, for service-level tests."""
    now = int(time.time())
    claims = {
        "iss": issuer, "aud": "crm", "sub": str(user_id or uuid.uuid4()), "iat": now, "exp": now + ttl,
        "typ": "access", "username": username, "roles": list(roles), "unit": str(unit_id) if unit_id else None,
        "unit_path": unit_path, "kind": "user", "perms": [], "jti": uuid.uuid4().hex, **extra,
    }
    return jwt.encode(claims, private_pem, algorithm="EdDSA")


@contextlib.asynccontextmanager
async def serving(app):
    """Run a FastAPI app's lifespan (pool, migrations, workers) and yield an HTTP client of it."""
    import httpx

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


async def check_service_skeleton(create_app, settings_class, migrations_dir: Path, key_dir: Path) -> None:
    """What every service has from the first day: migrations applied at start-up, health and
    readiness against the real servers, metrics, its AsyncAPI document, and the user directory
    kept from identity events."""
    from crmkit import directory, keys
    from crmkit.events import Envelope

    _, public_key = keys.generate(key_dir)
    async with temp_database(None) as dsn:
        settings = settings_class(database_url=dsn, jwt_public_key_file=str(public_key), run_mode="api")
        app = create_app(settings)
        async with serving(app) as client:
            assert (await client.get("/healthz")).status_code == 200
            ready = await client.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert "crm_http_request_seconds" in (await client.get("/metrics")).text
            assert (await client.get("/asyncapi.json")).json()["asyncapi"] == "3.0.0"
            assert (await client.get("/api/v1/nothing-here")).json()["code"] == "not_found"
            user = {"id": str(uuid.uuid4()), "username": "sale.hn1", "full_name": "Nguyễn Văn Bán",
                    "unit_id": str(uuid.uuid4()), "unit_path": "/a/b/", "roles": ["sales"], "active": True}
            async with app.state.pool.acquire() as conn:
                applied = await conn.fetch("SELECT version FROM schema_migrations")
                assert {f"service:{p.stem}" for p in Path(migrations_dir).glob("*.sql")} <= {r["version"] for r in applied}
                await directory.on_user_event(conn, Envelope(type="user.created", source="gateway",
                                                             subject=user["id"], data=user))
                row = await directory.get_user(conn, uuid.UUID(user["id"]))
            assert row["username"] == "sale.hn1" and row["unit_path"] == "/a/b/"


# deploy/local's control script, to stop and start the shared servers in restart tests
CRM_LOCAL = Path(os.environ.get("CRM_LOCAL_SCRIPT", Path(__file__).resolve().parents[4] / "deploy/local/crm-local"))


async def crm_local(command: str, timeout: float = 240) -> None:
    """Run `crm-local <command>` (e.g. kafka-stop, pg-start) with the caller's environment."""
    process = await asyncio.create_subprocess_exec(
        "bash", str(CRM_LOCAL), command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode == 0, f"crm-local {command} failed:\n{out.decode()}"
