"""asyncpg pool and ordered SQL migrations applied under an advisory lock."""
from __future__ import annotations

import asyncio
import json
import re
import zlib
from pathlib import Path

import asyncpg
import orjson

from crmkit.logging import get_logger

# The database (or the network to it) is down, restarting or refusing connections: worth a retry,
# unlike a refused statement. asyncpg reports a connection lost mid-statement as
# ConnectionDoesNotExistError (an InterfaceError), and a pooled connection the server shut down
# while it was handed out as InternalClientError ("cannot switch to state 15; another operation is
# in progress": seen at a PostgreSQL restart under load, by the faults test; the pool drops it).
INFRASTRUCTURE_ERRORS = (
    asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError, asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError, asyncpg.TooManyConnectionsError, asyncpg.ConnectionDoesNotExistError,
    asyncpg.InternalClientError, ConnectionError, OSError,
)


def caused_by_outage(exc: BaseException) -> bool:
    """Whether `exc`, or an exception it was raised from or while handling, is an outage of the
    database (a transaction's exit on a connection lost mid-statement raises its own error; a
    commit on a connection the server closed meanwhile says only that it is closed)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, INFRASTRUCTURE_ERRORS) or (
                isinstance(current, asyncpg.InterfaceError) and "connection is closed" in str(current)):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False

log = get_logger(__name__)
_KIT_MIGRATIONS = Path(__file__).parent / "migrations"


async def init_connection(conn: asyncpg.Connection) -> None:
    """json/jsonb as Python values (orjson); every connection of crmkit gets it."""
    for typename in ("json", "jsonb"):
        await conn.set_type_codec(
            typename,
            encoder=lambda v: orjson.dumps(v).decode(),
            decoder=orjson.loads,
            schema="pg_catalog",
        )


class PooledConnection(asyncpg.Connection):  # type: ignore[misc]
    """A pool's connection, given back without asyncpg's reset statement (`pg_advisory_unlock_all();
    CLOSE ALL; UNLISTEN *; RESET ALL`): that is one more round trip on every release, and measured
    ~0.09 ms of PostgreSQL CPU a request, half of a read by id's (docs/benchmarks.md, "The
    requests' fixed cost"). An open transaction is still rolled back and listeners dropped (asyncpg
    does that apart from the statement). Whoever leaves session state on a pooled connection (a
    WITH HOLD cursor, a session setting, a session advisory lock) calls `reset_on_release(conn)`."""

    _reset_on_release = False

    def mark_reset_on_release(self) -> None:
        self._reset_on_release = True

    def get_reset_query(self) -> str:
        if not self._reset_on_release:
            return ""
        self._reset_on_release = False
        return str(super().get_reset_query())


def reset_on_release(conn: asyncpg.Connection) -> None:
    """The pool resets this connection's session state when it comes back (`PooledConnection`);
    nothing for a connection of no pool."""
    mark = getattr(conn, "mark_reset_on_release", None)
    if mark is not None:
        mark()


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 20) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=init_connection, command_timeout=60,
        connection_class=PooledConnection,
    )


_init_connection = init_connection  # the former private name


MIGRATION_LOCK_POLL_SECONDS = 0.2


def advisory_key(name: str) -> int:
    """A stable 32-bit advisory lock key derived from a name."""
    return zlib.crc32(name.encode())


def _migration_files(directory: Path, namespace: str) -> list[tuple[str, Path]]:
    return [(f"{namespace}:{p.stem}", p) for p in sorted(directory.glob("*.sql"))]


# A migration whose first line is this runs statement by statement outside a transaction, so that
# it can build an index CONCURRENTLY or CALL a procedure that commits in batches (a backfill) on a
# large live table without holding locks for minutes. Its statements end with ";" at the end of a
# line (none inside a function body: put functions and procedures in an ordinary migration) and
# must be idempotent (IF NOT EXISTS, OR REPLACE, ON CONFLICT): a failure half-way leaves the
# earlier ones applied and the file runs again on the next start (a failed CREATE INDEX
# CONCURRENTLY leaves an INVALID index: drop it first, e.g. DROP INDEX CONCURRENTLY IF EXISTS).
NO_TRANSACTION = "-- crmkit:no-transaction"
_NO_TIMEOUT = 7 * 24 * 3600.0  # a backfill of 10M rows outlives the pool's command_timeout


def _statements(text: str) -> list[str]:
    return [s.strip() for s in re.split(r";[ \t]*\n", text + "\n") if re.sub(r"(?m)^\s*--.*$", "", s).strip()]


async def migrate(conn: asyncpg.Connection, migrations_dir: Path | None) -> list[str]:
    """Apply crmkit's own tables (outbox, inbox, idempotency) then the service's, in order.

    A session advisory lock makes concurrent replicas apply each file exactly once. The others
    wait for it by polling, not in a blocking `pg_advisory_lock`: a statement waiting on the lock
    holds a snapshot, and `CREATE INDEX CONCURRENTLY` in the holder's migration waits for every
    older snapshot to end — two replicas starting together on a fresh database deadlocked so.
    """
    files = _migration_files(_KIT_MIGRATIONS, "crmkit")
    if migrations_dir is not None:
        files += _migration_files(Path(migrations_dir), "service")
    lock = advisory_key("crmkit.migrations")
    reset_on_release(conn)  # the lock is released below; a failed unlock goes with the reset
    while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", lock):
        await asyncio.sleep(MIGRATION_LOCK_POLL_SECONDS)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        applied = []
        for version, path in files:
            if version in done:
                continue
            text = path.read_text()
            if text.startswith(NO_TRANSACTION):
                for statement in _statements(text):
                    await conn.execute(statement, timeout=_NO_TIMEOUT)
                await conn.execute("INSERT INTO schema_migrations(version) VALUES ($1)", version)
            else:
                async with conn.transaction():
                    await conn.execute(text)
                    await conn.execute("INSERT INTO schema_migrations(version) VALUES ($1)", version)
            applied.append(version)
            log.info("migration_applied", version=version)
        return applied
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", lock)


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
