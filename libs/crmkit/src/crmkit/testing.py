"""Test helpers shared by the services' test suites (real PostgreSQL and Kafka, never mocks).

Also a pytest plugin (`-p crmkit.testing` in pyproject.toml), which
- finds the servers by CRM_TEST_INFRA: `local` (the default) uses those of `deploy/local/crm-local`
  (CRM_PG_PORT, CRM_KAFKA_PORT, or CRM_TEST_PG_DSN and CRM_KAFKA_BOOTSTRAP for servers started any
  other way); `testcontainers` starts PostgreSQL and Kafka in Docker for the session (needs a Docker
  engine and `uv sync --group testcontainers`);
- marks `integration` every test that reaches them, so `pytest -m "not integration"` needs none;
- drops the databases it kept for reuse at the end of the session (see `temp_database`).
Tests get databases as their migrations leave them and unique topics.
"""
from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import asyncpg
import jwt
import pytest
from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant

from crmkit.db import create_pool, migrate
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent


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
async def temp_database(migrations_dir: Path | None = None, *, prefix: str = "t") -> AsyncIterator[str]:
    """A database with crmkit's and the service's migrations applied, as if new, for one test.

    Migrating costs more than most tests (a new database is a copy of template1 plus every
    migration), so a database is migrated once per test process and reset between tests: its rows
    deleted, the rows the migrations wrote put back, sequences where the migrations left them.
    Only a test that changed the schema (its own tables are dropped) beyond what a reset can undo
    gets its database dropped, and the next one a new one. CRM_TEST_DB_REUSE=0: a new database
    for every use, as before.
    """
    key = str(Path(migrations_dir).resolve()) if migrations_dir is not None else ""
    free = _free_databases.setdefault(key, [])
    database = free.pop() if free else await _new_database(migrations_dir, prefix)
    reusable = False
    try:
        yield _with_database(pg_admin_dsn(), database.name)
    finally:
        try:
            reusable = _reuse_databases() and await _reset(database)
        finally:
            if reusable:
                free.append(database)
            else:
                await _drop_database(database.name)


def _reuse_databases() -> bool:
    return os.environ.get("CRM_TEST_DB_REUSE", "1") != "0"


@dataclass
class _Database:
    """A migrated test database and what its migrations left in it, to reset it to that."""
    name: str
    tables: list[tuple[str, str]]        # (schema, table), referencing tables before referenced ones
    seeds: dict[tuple[str, str], bytes]  # rows the migrations wrote (COPY binary)
    sequences: list[tuple[str, int, bool]]
    schema: frozenset[str]
    by_truncate: bool                    # tables referencing each other in a cycle: TRUNCATE all


_free_databases: dict[str, list[_Database]] = {}


async def _new_database(migrations_dir: Path | None, prefix: str) -> _Database:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_admin_dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        conn = await asyncpg.connect(_with_database(pg_admin_dsn(), name))
        try:
            await migrate(conn, migrations_dir)
            return await _snapshot(conn, name)
        finally:
            await conn.close()
    except BaseException:
        await _drop_database(name)
        raise


_USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'"

# Everything a test might add to or change in a schema; a difference means the database is not
# as the migrations left it.
_SCHEMA = f"""
SELECT coalesce(array_agg(x), '{{}}') FROM (
  SELECT 'nsp:' || n.nspname FROM pg_namespace n WHERE {_USER_SCHEMAS}
  UNION ALL SELECT 'rel:' || n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.relnatts
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT 'att:' || a.attrelid::regclass || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
      || ':' || a.attnotnull || ':' || coalesce(md5(pg_get_expr(d.adbin, d.adrelid)), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE {_USER_SCHEMAS} AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'con:' || n.nspname || '.' || c.conname || ':' || md5(pg_get_constraintdef(c.oid))
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT 'fn:' || p.oid::regprocedure || ':' || md5(coalesce(p.prosrc, ''))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT 'trg:' || t.tgrelid::regclass || '.' || t.tgname || ':' || t.tgenabled::text FROM pg_trigger t
    WHERE NOT t.tgisinternal
  UNION ALL SELECT 'type:' || t.oid::regtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE {_USER_SCHEMAS} AND t.typrelid = 0 AND t.typcategory <> 'A'
  UNION ALL SELECT 'enum:' || e.enumtypid::regtype || '.' || e.enumlabel FROM pg_enum e
  UNION ALL SELECT 'view:' || c.oid::regclass || ':' || md5(pg_get_viewdef(c.oid)) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER_SCHEMAS} AND c.relkind IN ('v', 'm')
  UNION ALL SELECT 'policy:' || p.polrelid::regclass || '.' || p.polname FROM pg_policy p
  UNION ALL SELECT 'ext:' || e.extname FROM pg_extension e
  UNION ALL SELECT 'migration:' || version FROM schema_migrations
) s(x)"""

_TABLES = f"""
SELECT c.oid, n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {_USER_SCHEMAS} AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations'"""

_REFERENCES = """
SELECT conrelid AS child, confrelid AS parent FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid"""

_SEQUENCES = f"""
SELECT format('%I.%I', schemaname, sequencename) AS name, coalesce(last_value, start_value) AS value,
       last_value IS NOT NULL AS called
FROM pg_sequences s JOIN pg_namespace n ON n.nspname = s.schemaname WHERE {_USER_SCHEMAS}"""


async def _snapshot(conn: asyncpg.Connection, name: str) -> _Database:
    tables = {r["oid"]: (r["schema"], r["name"]) for r in await conn.fetch(_TABLES)}
    ordered, cyclic = _referencing_first(tables, await conn.fetch(_REFERENCES))
    seeds: dict[tuple[str, str], bytes] = {}
    for schema, table in ordered:
        if await conn.fetchval(f'SELECT EXISTS (SELECT FROM "{schema}"."{table}")'):
            out = io.BytesIO()
            await conn.copy_from_table(table, schema_name=schema, output=out, format="binary")
            seeds[(schema, table)] = out.getvalue()
    sequences = [(r["name"], r["value"], r["called"]) for r in await conn.fetch(_SEQUENCES)]
    return _Database(name=name, tables=ordered, seeds=seeds, sequences=sequences,
                     schema=frozenset(await conn.fetchval(_SCHEMA)), by_truncate=cyclic)


def _referencing_first(tables: dict[int, tuple[str, str]],
                       references: list[asyncpg.Record]) -> tuple[list[tuple[str, str]], bool]:
    """Tables in an order that deletes referencing rows before the rows they reference."""
    parents = {oid: {r["parent"] for r in references if r["child"] == oid and r["parent"] in tables}
               for oid in tables}
    children = {oid: {child for child, ps in parents.items() if oid in ps} for oid in tables}
    ordered: list[tuple[str, str]] = []
    placed: set[int] = set()
    while len(placed) < len(tables):
        ready = [oid for oid in tables if oid not in placed and children[oid] <= placed]
        if not ready:
            return [tables[oid] for oid in tables], True
        for oid in sorted(ready, key=lambda o: tables[o]):
            ordered.append(tables[oid])
            placed.add(oid)
    return ordered, False


async def _reset(database: _Database) -> bool:
    """Put the database back as its migrations left it; False when that cannot be done."""
    await _end_connections(database.name)
    conn = await asyncpg.connect(_with_database(pg_admin_dsn(), database.name))
    try:
        await conn.execute("SET lock_timeout = '10s'")
        if not await _undo_schema_changes(conn, database):
            return False
        async with conn.transaction():
            await _empty_tables(conn, database)
            for (schema, table), rows in database.seeds.items():
                await conn.copy_to_table(table, schema_name=schema, source=io.BytesIO(rows), format="binary")
            if database.sequences:
                names, values, called = zip(*database.sequences)
                await conn.execute("SELECT setval(s::regclass, v, c) FROM unnest($1::text[], $2::bigint[],"
                                   " $3::bool[]) AS t(s, v, c)", list(names), list(values), list(called))
        return True
    except (asyncpg.PostgresError, OSError):
        return False
    finally:
        await conn.close()


async def _undo_schema_changes(conn: asyncpg.Connection, database: _Database) -> bool:
    """Drop the tables and forget the migrations a test added; True when the schema is as it was."""
    schema = frozenset(await conn.fetchval(_SCHEMA))
    if schema == database.schema:
        return True
    known = set(database.tables) | {("public", "schema_migrations")}
    added = [(r["schema"], r["name"]) for r in await conn.fetch(_TABLES) if (r["schema"], r["name"]) not in known]
    migrations = [x.removeprefix("migration:") for x in database.schema if x.startswith("migration:")]
    async with conn.transaction():
        if added:
            await conn.execute("DROP TABLE IF EXISTS " + ", ".join(f'"{s}"."{t}"' for s, t in added) + " CASCADE")
        await conn.execute("DELETE FROM schema_migrations WHERE NOT version = ANY($1::text[])", migrations)
    return frozenset(await conn.fetchval(_SCHEMA)) == database.schema


_BIG_TABLE_BYTES = 1 << 20


async def _empty_tables(conn: asyncpg.Connection, database: _Database) -> None:
    """DELETE is far cheaper than TRUNCATE for the few rows a test writes; a big table (a bulk
    test) is truncated so that its size and the planner's statistics start small again."""
    names = [f'"{schema}"."{table}"' for schema, table in database.tables]
    if database.by_truncate:
        big = names
    else:
        big = await conn.fetchval("SELECT coalesce(array_agg(t), '{}') FROM unnest($1::text[]) t"
                                  " WHERE pg_total_relation_size(t::regclass) > $2", names, _BIG_TABLE_BYTES)
    if big:
        await conn.execute(f"TRUNCATE {', '.join(big)} CASCADE")
    rest = [name for name in names if name not in big]
    if rest:
        await conn.execute("; ".join(f"DELETE FROM {name}" for name in rest))


async def _end_connections(name: str) -> None:
    """End what a test left connected (a pool not closed, a worker still running), as dropping
    the database used to."""
    admin = await asyncpg.connect(pg_admin_dsn())
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
            " WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()", name)
    finally:
        await admin.close()


async def drop_reused_databases() -> None:
    """Drop the databases kept for reuse (at the end of a test session)."""
    for free in _free_databases.values():
        while free:
            await _drop_database(free.pop().name)


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
async def temp_pool(migrations_dir: Path | None = None) -> AsyncIterator[asyncpg.Pool]:
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


async def read_topic(bootstrap: str, topic: str, *, min_count: int = 0, timeout: float = 20.0) -> list[Any]:
    """Every record of `topic` from the beginning up to its current end (read_committed).

    Waits (bounded) until at least `min_count` records are there; the result is everything up to
    the end offsets seen last, so extra records (duplicates) are returned too.
    """
    from aiokafka import AIOKafkaConsumer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        async def partitions() -> list[int] | None:
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
        records: list[Any] = []
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


def sign_test_token(private_pem: bytes, *, user_id: uuid.UUID | None = None,
                    roles: tuple[str, ...] | list[str] = ("sales",), unit_id: uuid.UUID | None = None,
                    unit_path: str = "", username: str = "tester", ttl: int = 300, issuer: str = "crm-gateway",
                    **extra: Any) -> str:
    """Issue an access token the way the gateway does, for service-level tests."""
    precise = time.time()
    now = int(precise)
    claims = {  # iat_ms as the gateway's: a token signed in the second its user changed is not "older"
        "iss": issuer, "aud": "crm", "sub": str(user_id or uuid.uuid4()), "iat": now, "iat_ms": int(precise * 1000),
        "exp": now + ttl,
        "typ": "access", "username": username, "roles": list(roles), "unit": str(unit_id) if unit_id else None,
        "unit_path": unit_path, "kind": "user", "perms": [], "jti": uuid.uuid4().hex, **extra,
    }
    return jwt.encode(claims, private_pem, algorithm="EdDSA")


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[Any]:
    """Run a FastAPI app's lifespan (pool, migrations, workers) and yield an HTTP client of it."""
    import httpx

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


def bearer(private_pem: bytes, *roles: str, path: str = "/r/b/t/", user_id: uuid.UUID | None = None,
           **extra: Any) -> dict[str, str]:
    """The Authorization header of a test caller (roles default to sales) in the unit at `path`."""
    token = sign_test_token(private_pem, user_id=user_id or uuid.uuid4(), roles=roles or ("sales",),
                            unit_id=uuid.uuid4(), unit_path=path, **extra)
    return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def running_service(create_app: Callable[[Any], Any], settings: Any, *,
                          public_key: bytes) -> AsyncIterator[Any]:
    """A service's app on `settings` with its lifespan run, trusting the tokens of the test key pair."""
    from crmkit.auth import TokenVerifier

    app = create_app(settings)
    app.state.token_verifier = TokenVerifier(public_key)
    async with app.router.lifespan_context(app):
        yield app


@contextlib.asynccontextmanager
async def service_client(app: Any) -> AsyncIterator[Any]:
    """An HTTP client of a running app (`running_service`); `client.app` is the app."""
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        client.app = app  # type: ignore[attr-defined]  # for tests that reach the app's state
        yield client


async def check_service_skeleton(create_app: Callable[[Any], Any], settings_class: Any, migrations_dir: Path,
                                 key_dir: Path) -> None:
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
            user: dict[str, Any] = {"id": str(uuid.uuid4()), "username": "sale.hn1", "full_name": "Nguyễn Văn Bán",
                    "unit_id": str(uuid.uuid4()), "unit_path": "/a/b/", "roles": ["sales"], "active": True}
            async with app.state.pool.acquire() as conn:
                applied = await conn.fetch("SELECT version FROM schema_migrations")
                assert {f"service:{p.stem}" for p in Path(migrations_dir).glob("*.sql")} <= {r["version"] for r in applied}
                created = Envelope(type="user.created", source="gateway", subject=user["id"], data=user)
                await directory.HANDLERS["user.created"](conn, created)
                row = await directory.get_user(conn, uuid.UUID(user["id"]))
            assert row is not None and row["username"] == "sale.hn1" and row["unit_path"] == "/a/b/"



_IDEMPOTENT = get_args(Idempotent)[1].dependency
_PLAIN_POOL = get_args(DbPool)[1].dependency


def idempotent_routes_on_the_plain_pool(app: FastAPI) -> list[str]:
    """`METHOD path` of every route that declares `Idempotent` and also the plain `DbPool` (outside
    Idempotent's own use of it): such a route could run its use case on the pool, outside the key's
    transaction, and lose the atomicity of key, effect and answer (crmkit.idempotency)."""
    return sorted(f"{method} {route.path_format}"
                  for route in routing.iter_route_contexts(app.routes)  # included routers' routes too
                  if isinstance(route.original_route, routing.APIRoute)
                  and _calls(route.dependant, _IDEMPOTENT) and _calls(route.dependant, _PLAIN_POOL)
                  for method in route.methods or ())


def _calls(dependant: Dependant, dependency: Callable[..., Any]) -> bool:
    """Whether `dependency` is in the tree below `dependant`, not counting Idempotent's own subtree
    when looking for another dependency."""
    return any(sub.call is dependency or (sub.call is not _IDEMPOTENT and _calls(sub, dependency))
               for sub in dependant.dependencies)

# deploy/local's control script, to stop and start the shared servers in restart tests
CRM_LOCAL = Path(os.environ.get("CRM_LOCAL_SCRIPT", Path(__file__).resolve().parents[4] / "deploy/local/crm-local"))


async def crm_local(command: str, timeout: float = 240) -> None:
    """Run `crm-local <command>` (e.g. kafka-stop, pg-start) with the caller's environment."""
    process = await asyncio.create_subprocess_exec(
        "bash", str(CRM_LOCAL), command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode == 0, f"crm-local {command} failed:\n{out.decode()}"


# ----------------------------------------------------------------- where the servers come from
INFRAS = ("local", "testcontainers")
POSTGRES_IMAGE = "postgres:15"
KAFKA_IMAGE = "confluentinc/cp-kafka:7.6.0"


def chosen_infra(environ: dict[str, str] | None = None) -> str:
    """CRM_TEST_INFRA: `local` (deploy/local/crm-local, the default) or `testcontainers`."""
    value = (environ if environ is not None else os.environ).get("CRM_TEST_INFRA", "local").strip() or "local"
    if value not in INFRAS:
        raise ValueError(f"CRM_TEST_INFRA={value!r}: expected one of {', '.join(INFRAS)}")
    return value


@contextlib.contextmanager
def servers_for_tests(infra: str) -> Iterator[dict[str, str]]:
    """The environment that points the tests at PostgreSQL and Kafka while the servers are up.

    `local` starts nothing: deploy/local/crm-local did. `testcontainers` is imported only then, so
    that it is needed only where it is used.
    """
    if infra == "local":
        yield {}
        return
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.community.postgres import PostgresContainer

    with PostgresContainer(POSTGRES_IMAGE, username="crm", password="crm", dbname="postgres") as pg, \
            KafkaContainer(KAFKA_IMAGE).with_kraft() as kafka:
        yield {
            "CRM_TEST_PG_DSN": f"postgresql://crm:crm@{pg.get_container_host_ip()}:{pg.get_exposed_port(5432)}/postgres",
            "CRM_KAFKA_BOOTSTRAP": kafka.get_bootstrap_server(),
        }


# ----------------------------------------------------------------- which tests need the servers
# Fixtures and helpers that reach PostgreSQL or Kafka: a test that uses one (itself, through its
# fixtures, or through a function of its module) is an integration test.
_SERVER_NAMES = frozenset({
    "temp_database", "temp_pool", "create_pool", "check_service_skeleton", "pg_admin_dsn", "kafka_bootstrap",
    "create_topics", "delete_topics", "wait_for_kafka", "read_topic", "crm_local", "running_app", "lifespan_context",
    "connect", "AIOKafkaConsumer", "AIOKafkaProducer", "make_producer", "OutboxRelay", "EventConsumer",
})


def reaches_servers(item: Any) -> bool:
    functions = [getattr(item, "function", None)]
    for definitions in getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {}).values():
        functions += [definition.func for definition in definitions]
    seen: set[Any] = set()
    return any(_calls_servers(f, seen) for f in functions if f is not None)


def _calls_servers(function: Any, seen: set[Any], depth: int = 4) -> bool:
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None or code in seen or depth < 0:
        return False
    seen.add(code)
    names = _names_in(code)
    if names & _SERVER_NAMES:
        return True
    module_globals = getattr(function, "__globals__", {})
    return any(_calls_servers(module_globals[name], seen, depth - 1) for name in names
               if inspect.isfunction(module_globals.get(name))
               and module_globals[name].__module__ == function.__module__)


def _names_in(code: Any) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _names_in(const)
    return names


# ----------------------------------------------------------------- pytest hooks (-p crmkit.testing)
_servers = contextlib.ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the controller started the servers, the environment says where
    os.environ.update(_servers.enter_context(servers_for_tests(chosen_infra())))


def pytest_unconfigure(config: pytest.Config) -> None:
    _servers.close()


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by the marker
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                   items: list[pytest.Item]) -> None:
    for item in items:
        if reaches_servers(item):
            item.add_marker(pytest.mark.integration)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if any(_free_databases.values()):
        asyncio.run(drop_reused_databases())
