"""Migrations: ordered, each applied exactly once, also when replicas start at the same time."""
from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg
import pytest

from crmkit import db, testing


@pytest.fixture
def service_migrations(tmp_path):
    directory = tmp_path / "migrations"
    directory.mkdir()
    # not idempotent on purpose: applying a file twice fails or double-counts
    (directory / "0001_init.sql").write_text(
        "CREATE TABLE applied (n serial PRIMARY KEY, file text NOT NULL);\n"
        "INSERT INTO applied(file) VALUES ('0001');\n"
        "SELECT pg_sleep(0.2);\n"
    )
    (directory / "0002_more.sql").write_text(
        "ALTER TABLE applied ADD COLUMN extra text;\n"
        "INSERT INTO applied(file) VALUES ('0002');\n"
    )
    (directory / "README.txt").write_text("not a migration")
    return directory


# this database's: tests running in parallel hold theirs in other databases
ADVISORY_LOCKS_HERE = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                       " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")


async def _fresh_database(pg_admin: str) -> tuple[str, str]:
    name = f"crmkit_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_admin)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return name, testing._with_database(pg_admin, name)


async def _drop(pg_admin: str, name: str) -> None:
    admin = await asyncpg.connect(pg_admin)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def test_migrations_applied_once_under_concurrency(pg_admin, service_migrations):
    name, dsn = await _fresh_database(pg_admin)  # nothing applied yet, not even crmkit's own tables
    try:
        connections = [await asyncpg.connect(dsn) for _ in range(6)]
        try:
            results = await asyncio.gather(*(db.migrate(c, service_migrations) for c in connections))
        finally:
            for c in connections:
                await c.close()
        applied = [v for result in results for v in result]
        assert "crmkit:0001_outbox_inbox" in applied
        assert sorted(applied) == sorted(set(applied)), "a migration was applied twice"
        assert {v for v in applied if v.startswith("service:")} == {"service:0001_init", "service:0002_more"}
        # exactly one replica did the work, in order
        assert sum(1 for r in results if r) == 1
        assert next(r for r in results if r) == sorted(applied, key=lambda v: (not v.startswith("crmkit:"), v))

        conn = await asyncpg.connect(dsn)
        try:
            assert await conn.fetchval("SELECT count(*) FROM applied WHERE file = '0001'") == 1
            assert await conn.fetchval("SELECT count(*) FROM applied WHERE file = '0002'") == 1
            versions = [r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")]
            assert sorted(versions) == sorted(applied)
            for table in ("outbox", "inbox", "idempotency_keys"):
                assert await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table), table
            # later runs apply nothing; the lock is released after each run
            assert await db.migrate(conn, service_migrations) == []
            assert await conn.fetchval(ADVISORY_LOCKS_HERE) == 0
        finally:
            await conn.close()
    finally:
        await _drop(pg_admin, name)


async def test_a_failing_migration_is_rolled_back_and_retried(pg_admin, tmp_path):
    directory = tmp_path / "m"
    directory.mkdir()
    (directory / "0001_ok.sql").write_text("CREATE TABLE a (x int);")
    (directory / "0002_bad.sql").write_text("CREATE TABLE b (x int); SELECT no_such_function();")
    async with testing.temp_database(prefix="crmkit") as dsn:
        conn = await asyncpg.connect(dsn)
        try:
            with pytest.raises(asyncpg.PostgresError):
                await db.migrate(conn, directory)
            assert await conn.fetchval("SELECT to_regclass('a') IS NOT NULL")
            assert not await conn.fetchval("SELECT to_regclass('b') IS NOT NULL")  # rolled back
            assert await conn.fetchval(ADVISORY_LOCKS_HERE) == 0
            (directory / "0002_bad.sql").write_text("CREATE TABLE b (x int);")
            assert await db.migrate(conn, directory) == ["service:0002_bad"]
        finally:
            await conn.close()


async def test_a_no_transaction_migration_runs_statement_by_statement(pg_admin, tmp_path):
    """`-- crmkit:no-transaction`: CREATE INDEX CONCURRENTLY and a procedure that commits in
    batches run (both are refused inside a transaction); a run that fails half-way keeps what
    its earlier statements did and the file runs again whole on the next start."""
    directory = tmp_path / "m"
    directory.mkdir()
    (directory / "0001_table.sql").write_text(
        "CREATE TABLE t (x int);\n"
        "CREATE PROCEDURE fill() LANGUAGE plpgsql AS $$\nBEGIN\n    FOR i IN 1..3 LOOP\n"
        "        INSERT INTO t VALUES (i);\n        COMMIT;\n    END LOOP;\nEND $$;\n")
    (directory / "0002_fill.sql").write_text(
        f"{db.NO_TRANSACTION}\n-- fill, then index; x; y\nCALL fill();\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_x ON t (x);\nSELECT no_such_function();\n")
    async with testing.temp_database(prefix="crmkit") as dsn:
        conn = await asyncpg.connect(dsn)
        try:
            with pytest.raises(asyncpg.PostgresError):
                await db.migrate(conn, directory)
            assert await conn.fetchval("SELECT count(*) FROM t") == 3  # committed by the procedure
            assert await conn.fetchval("SELECT to_regclass('t_x') IS NOT NULL")
            assert not await conn.fetchval("SELECT EXISTS (SELECT FROM schema_migrations WHERE version = 'service:0002_fill')")
            (directory / "0002_fill.sql").write_text(
                f"{db.NO_TRANSACTION}\nCALL fill();\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_x ON t (x);\n")
            assert await db.migrate(conn, directory) == ["service:0002_fill"]
            assert await conn.fetchval("SELECT count(*) FROM t") == 6
            assert await conn.fetchval(ADVISORY_LOCKS_HERE) == 0
        finally:
            await conn.close()


async def test_replicas_starting_together_wait_for_an_index_built_concurrently(pg_admin, tmp_path):
    """A replica waiting for the migrations' lock must hold no snapshot: CREATE INDEX CONCURRENTLY
    in the holder's migration waits for every older one (a blocking pg_advisory_lock deadlocked)."""
    directory = tmp_path / "m"
    directory.mkdir()
    (directory / "0001_table.sql").write_text("CREATE TABLE t (x int);\nINSERT INTO t SELECT generate_series(1, 1000);\n")
    (directory / "0002_index.sql").write_text(
        f"{db.NO_TRANSACTION}\nSELECT pg_sleep(0.5);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_x ON t (x);\n")
    name, dsn = await _fresh_database(pg_admin)
    try:
        connections = [await asyncpg.connect(dsn) for _ in range(3)]
        try:
            applied = await asyncio.wait_for(asyncio.gather(*(db.migrate(c, directory) for c in connections)), 60)
        finally:
            for c in connections:
                await c.close()
        assert sorted(len(a) for a in applied)[-1] > 0 and sum("service:0002_index" in a for a in applied) == 1
    finally:
        await _drop(pg_admin, name)


async def test_pool_decodes_json(pool):
    await pool.execute("CREATE TABLE j (doc jsonb)")
    await pool.execute("INSERT INTO j VALUES ($1)", {"a": [1, "đ"], "b": None})
    assert await pool.fetchval("SELECT doc FROM j") == {"a": [1, "đ"], "b": None}
    assert await pool.fetchval("SELECT doc->'a' FROM j") == [1, "đ"]


def test_advisory_key_is_stable():
    assert db.advisory_key("outbox:customers") == db.advisory_key("outbox:customers")
    assert db.advisory_key("outbox:customers") != db.advisory_key("outbox:interactions")
    assert 0 <= db.advisory_key("x") < 2**63


async def test_outbox_payloads_are_compressed_with_lz4(pool):
    """0004: a batch event's payload is not sent through pglz (7-20 ms an event, 4x lz4's), and
    what is written compressed reads back whole."""
    assert await pool.fetchval("SELECT attcompression FROM pg_attribute"
                               " WHERE attrelid = 'outbox'::regclass AND attname = 'payload'") == b"l"
    ids = [str(uuid.uuid4()) for _ in range(5_000)]
    await pool.execute("INSERT INTO outbox(event_id, topic, key, event_type, payload)"
                       " VALUES ($1, 't', 'k', 'x', $2::text::jsonb)", uuid.uuid4(), f'{{"ids": {json.dumps(ids)}}}')
    assert await pool.fetchval("SELECT pg_column_compression(payload) FROM outbox") == "lz4"
    assert (await pool.fetchval("SELECT payload FROM outbox"))["ids"] == ids


async def test_the_lz4_migration_never_holds_writers_behind_a_long_transaction(db_dsn):
    """0004 takes an ACCESS EXCLUSIVE lock on the outbox: queued behind a long transaction of an
    older replica, it would hold up every writer that comes after it. It waits at most 1 s an
    attempt, so a writer gets through while the long transaction still runs; the setting lands once
    that one ends."""
    sql = (db._KIT_MIGRATIONS / "0004_outbox_lz4.sql").read_text()
    holder, migrator, writer = [await asyncpg.connect(db_dsn) for _ in range(3)]
    try:
        await migrator.execute("ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION pglz")
        long_transaction = holder.transaction()
        await long_transaction.start()
        await holder.execute("INSERT INTO outbox(event_id, topic, key, event_type, payload)"
                             " VALUES ($1, 't', 'k', 'x', '{}')", uuid.uuid4())

        async def migrate() -> None:
            async with migrator.transaction():
                await migrator.execute(sql)

        migration = asyncio.create_task(migrate())
        await asyncio.sleep(0.3)  # the migration is waiting for the lock
        await asyncio.wait_for(writer.execute("INSERT INTO outbox(event_id, topic, key, event_type, payload)"
                                              " VALUES ($1, 't', 'k', 'x', '{}')", uuid.uuid4()), timeout=10)
        assert not migration.done()
        await long_transaction.commit()
        await asyncio.wait_for(migration, timeout=10)
        assert await writer.fetchval("SELECT attcompression FROM pg_attribute"
                                     " WHERE attrelid = 'outbox'::regclass AND attname = 'payload'") == b"l"
    finally:
        for conn in (holder, migrator, writer):
            await conn.close()


# Pooled connections go back without asyncpg's reset statement (db.PooledConnection)


@pytest.fixture
async def one_connection_pool():
    async with testing.temp_database() as dsn:
        pool = await db.create_pool(dsn, min_size=1, max_size=1)
        try:
            yield pool
        finally:
            await pool.close()


async def test_a_pooled_connection_is_not_reset_unless_marked(one_connection_pool):
    pool = one_connection_pool
    async with pool.acquire() as conn:
        await conn.execute("SET application_name = 'left-behind'")
        pid = await conn.fetchval("SELECT pg_backend_pid()")
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT pg_backend_pid()") == pid  # the same session
        assert await conn.fetchval("SHOW application_name") == "left-behind"
        await conn.execute("DECLARE kept NO SCROLL CURSOR WITH HOLD FOR SELECT 1")
        await conn.execute("SELECT pg_advisory_lock(4242)")
        db.reset_on_release(conn)
    async with pool.acquire() as conn:
        assert await conn.fetchval("SHOW application_name") != "left-behind"
        assert await conn.fetchval("SELECT count(*) FROM pg_cursors WHERE name = 'kept'") == 0
        assert await conn.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                   " AND pid = pg_backend_pid()") == 0
        await conn.execute("SET application_name = 'again'")
    async with pool.acquire() as conn:  # the mark was for one release
        assert await conn.fetchval("SHOW application_name") == "again"


async def test_a_transaction_left_open_is_rolled_back_on_release(one_connection_pool):
    pool = one_connection_pool
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE t (n int)")
        await conn.execute("BEGIN")
        await conn.execute("INSERT INTO t VALUES (1)")
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM t") == 0
        assert not conn.is_in_transaction()


def test_reset_on_release_ignores_a_connection_of_no_pool():
    db.reset_on_release(object())  # e.g. asyncpg.connect's: nothing to mark
