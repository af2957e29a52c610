"""The test harness itself: where the servers come from (CRM_TEST_INFRA), which tests need them,
and databases that are migrated once and reset between tests as if new."""
from __future__ import annotations

import os
import sys
import types
import uuid

import asyncpg
import pytest
from fastapi import APIRouter, Depends, FastAPI, Response

from crmkit import testing
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent


def test_deploy_local_is_the_default():
    assert testing.chosen_infra({}) == "local"
    assert testing.chosen_infra({"CRM_TEST_INFRA": " "}) == "local"


def test_testcontainers_is_chosen_by_the_setting():
    assert testing.chosen_infra({"CRM_TEST_INFRA": "testcontainers"}) == "testcontainers"


def test_an_unknown_infra_is_refused():
    with pytest.raises(ValueError, match="CRM_TEST_INFRA='docker'"):
        testing.chosen_infra({"CRM_TEST_INFRA": "docker"})


def test_local_starts_nothing_and_needs_no_testcontainers(monkeypatch):
    monkeypatch.setitem(sys.modules, "testcontainers", None)  # importing it would fail
    with testing.servers_for_tests("local") as environment:
        assert environment == {}


class _Container:
    """Stands in for a testcontainers container (no Docker engine here): records its life."""
    started: list[str] = []

    def __init__(self, image: str, **options):
        self.image, self.options = image, options

    def with_kraft(self):
        return self

    def __enter__(self):
        self.started.append(self.image)
        return self

    def __exit__(self, *exc):
        self.started.remove(self.image)

    def get_container_host_ip(self) -> str:
        return "10.1.2.3"

    def get_exposed_port(self, port: int) -> int:
        return 40000 + port

    def get_bootstrap_server(self) -> str:
        return "10.1.2.3:49093"


def test_testcontainers_start_postgres_and_kafka_and_point_the_tests_at_them(monkeypatch):
    for name, attribute in (("postgres", "PostgresContainer"), ("kafka", "KafkaContainer")):
        module = types.ModuleType(f"testcontainers.community.{name}")
        setattr(module, attribute, _Container)
        monkeypatch.setitem(sys.modules, f"testcontainers.community.{name}", module)
    with testing.servers_for_tests("testcontainers") as environment:
        assert sorted(_Container.started) == sorted([testing.POSTGRES_IMAGE, testing.KAFKA_IMAGE])
        assert environment == {"CRM_TEST_PG_DSN": "postgresql://crm:crm@10.1.2.3:45432/postgres",
                               "CRM_KAFKA_BOOTSTRAP": "10.1.2.3:49093"}
    assert _Container.started == []


async def _uses_a_database():
    async with testing.temp_database() as dsn:
        return dsn


def _through_a_helper():
    return _uses_a_database()


def _pure(x):
    return x + 1


def test_tests_reaching_the_servers_are_told_apart():
    def item(function):
        return types.SimpleNamespace(function=function)

    assert testing.reaches_servers(item(_uses_a_database))
    assert testing.reaches_servers(item(_through_a_helper))
    assert not testing.reaches_servers(item(_pure))


def test_a_pure_test_is_no_integration_test(request):
    assert request.node.get_closest_marker("integration") is None


async def test_a_reused_database_is_as_its_migrations_left_it(pg_admin, request):
    assert request.node.get_closest_marker("integration") is not None
    if os.environ.get("CRM_TEST_DB_REUSE") == "0":
        pytest.skip("CRM_TEST_DB_REUSE=0: a new database for every use")
    async with testing.temp_database() as dsn:
        conn = await asyncpg.connect(dsn)
        try:
            first_id = await conn.fetchval(
                "INSERT INTO outbox (event_id, topic, key, event_type, payload)"
                " VALUES (gen_random_uuid(), 't', 'k', 'x', '{}') RETURNING id")
            await conn.execute("CREATE TABLE leftover (x int)")
            await conn.execute("INSERT INTO schema_migrations(version) VALUES ('service:0001_test')")
        finally:
            await conn.close()
    async with testing.temp_database() as again:
        assert again == dsn, "the database is reused"
        conn = await asyncpg.connect(again)
        try:
            assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
            assert await conn.fetchval("SELECT to_regclass('leftover')") is None
            assert "service:0001_test" not in {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
            assert await conn.fetchval(
                "INSERT INTO outbox (event_id, topic, key, event_type, payload)"
                " VALUES (gen_random_uuid(), 't', 'k', 'x', '{}') RETURNING id") == first_id
            await conn.execute("CREATE TYPE mood AS ENUM ('calm')")  # cannot be undone: a new database
        finally:
            await conn.close()
    async with testing.temp_database() as third:
        assert third != dsn
        conn = await asyncpg.connect(third)
        try:
            assert await conn.fetchval("SELECT to_regtype('mood')") is None
        finally:
            await conn.close()


async def test_databases_in_use_at_once_are_distinct(pg_admin):
    async with testing.temp_database() as one, testing.temp_database() as two:
        assert one != two
        names = {uuid.uuid4().hex}
        for dsn in (one, two):
            conn = await asyncpg.connect(dsn)
            try:
                names.add(await conn.fetchval("SELECT current_database()"))
            finally:
                await conn.close()
        assert len(names) == 3


def test_an_idempotent_route_that_also_takes_the_plain_pool_is_found():
    def pool_behind(pool: DbPool) -> object:  # the plain pool, one dependency down
        return pool

    app, router = FastAPI(), APIRouter(prefix="/r")

    @router.post("/atomic")
    async def atomic(once: Idempotent) -> Response:
        return once.answer(Response())

    @router.post("/leaky")
    async def leaky(once: Idempotent, pool: DbPool) -> Response:
        return once.answer(Response())

    @router.post("/leaky-below", dependencies=[Depends(pool_behind)])
    async def leaky_below(once: Idempotent) -> Response:
        return once.answer(Response())

    @router.get("/plain")
    async def plain(pool: DbPool) -> Response:
        return Response()

    app.include_router(router)
    assert testing.idempotent_routes_on_the_plain_pool(app) == ["POST /r/leaky", "POST /r/leaky-below"]
