"""Fixtures of the crmkit suite: real PostgreSQL and Kafka (deploy/local), never mocks.

Every test gets a database as crmkit's migrations leave it (crmkit.testing.temp_database) and its
own topics (with `<topic>.dlq`), so tests never see each other's rows or messages, nor anyone
else's on the shared servers.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import asyncpg
import pytest

from crmkit import keys, testing
from crmkit.consumer import dlq_topic
from crmkit.db import create_pool

REPO_ROOT = Path(__file__).resolve().parents[3]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "broker_restart: stops and restarts the (shared) Kafka broker; always runs last"
    )
    config.addinivalue_line(
        "markers", "database_restart: stops and restarts the (shared) PostgreSQL server; always runs last"
    )


def pytest_collection_modifyitems(session, config, items) -> None:
    # Stopping the broker would disturb every other test: those run after all the others.
    # Stopping the database likewise, after the broker restart. Beside tests running in parallel
    # (pytest-xdist) they cannot run at all: they are `serial`, and run alone (deploy/local/run-tests).
    items.sort(key=lambda item: (_restarts(item), item.get_closest_marker("database_restart") is not None))
    for item in items:
        if _restarts(item):
            item.add_marker(pytest.mark.serial)
            if os.environ.get("PYTEST_XDIST_WORKER"):
                item.add_marker(pytest.mark.skip(reason="restarts a shared server: run it alone, without -n"))
            elif testing.chosen_infra() != "local":
                item.add_marker(pytest.mark.skip(reason="restarts the servers of deploy/local only"))


def _restarts(item) -> bool:
    return (item.get_closest_marker("broker_restart") is not None
            or item.get_closest_marker("database_restart") is not None)


@pytest.fixture(scope="session")
async def pg_admin() -> str:
    dsn = testing.pg_admin_dsn()
    try:
        conn = await asyncpg.connect(dsn, timeout=10)
    except Exception as exc:
        pytest.fail(f"PostgreSQL is not reachable at {dsn} (deploy/local/crm-local pg-start): {exc!r}")
    await conn.close()
    return dsn


@pytest.fixture(scope="session")
async def bootstrap() -> str:
    address = testing.kafka_bootstrap()
    try:
        await testing.wait_for_kafka(address, timeout=30)
    except AssertionError as exc:
        pytest.fail(f"Kafka is not reachable at {address} (deploy/local/crm-local kafka-start): {exc}")
    return address


@pytest.fixture
async def db_dsn(pg_admin):
    """A database with crmkit's migrations applied and nothing else (reset after the test)."""
    async with testing.temp_database(prefix="crmkit") as dsn:
        yield dsn


@pytest.fixture
async def pool(db_dsn):
    pool = await create_pool(db_dsn, min_size=1, max_size=10)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
async def topic(bootstrap):
    """A unique one-partition topic and its `<topic>.dlq`, deleted afterwards."""
    name = testing.unique_topic("crmkit-test")
    await testing.create_topics(bootstrap, name, dlq_topic(name))
    yield name
    with contextlib.suppress(Exception):
        await testing.delete_topics(bootstrap, name, dlq_topic(name))


@pytest.fixture
def jwt_keys(tmp_path) -> tuple[bytes, Path]:
    """(private key PEM, path of the public key PEM) from crmkit.keys.generate."""
    private_path, public_path = keys.generate(tmp_path / "keys")
    return private_path.read_bytes(), public_path


@pytest.fixture
def unique_name() -> str:
    return f"crmkit-test-{uuid.uuid4().hex[:10]}"
