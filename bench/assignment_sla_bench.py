"""What the SLA sweeper (A-6) costs the database over 100,000 open leads.

    .venv/bin/python bench/assignment_sla_bench.py

On a scratch database of its own (`crm_assignment_sla_bench`, created, migrated and dropped) in
the local PostgreSQL (CRM_PG_PORT, as `make up`): one job with an SLA, 20 reps, 100,000 open
leads in 20 direct assignments of 5,000, every clock running. Then, with the service's own
handlers (handlers/sla_sweep.py) on a pool whose every statement is timed (asyncpg's query
logger: the time from sending a statement to its answer, i.e. database time plus a local round
trip; the COPY of redistributed leads is not a logged statement and counts only in the wall time):

- `idle`: a sweep pass when nothing is due, over the 100,000 open leads (what every replica pays
  every `sla_sweep_seconds`);
- `warn_all`: every lead's warning time passed at once: the passes (batches of 5,000) until all
  are warned, with their events;
- `recall_all`: every deadline passed at once: the passes until all 100,000 are recalled and dealt
  again among the 19 other reps (new assignments, their leads, the events);
- `reference`: in the same run, one bare `UPDATE` of the same 100,000 rows making the same change
  (warned_at; state, closed_at and recall_reason), rolled back - the floor of a sweep that
  changes every lead.
"""
from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from crmkit.db import init_connection, migrate

from crm_assignment.app import MIGRATIONS
from crm_assignment.handlers import sla, sla_sweep

ADMIN_DSN = os.environ.get("CRM_TEST_PG_DSN",
                           f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/postgres")
NAME = "crm_assignment_sla_bench"
LEADS, REPS = 100_000, 20


def dsn_of(name: str) -> str:
    return ADMIN_DSN.rsplit("/", 1)[0] + "/" + name


class Timed:
    """The statements' time on the pool's connections (asyncpg's query logger)."""

    def __init__(self) -> None:
        self.seconds, self.statements = 0.0, 0
        self.by_statement: dict[str, float] = {}

    def log(self, record: object) -> None:
        self.seconds += record.elapsed  # type: ignore[attr-defined]
        self.statements += 1
        key = " ".join(record.query.split())[:70]  # type: ignore[attr-defined]
        self.by_statement[key] = self.by_statement.get(key, 0.0) + record.elapsed  # type: ignore[attr-defined]

    def top(self, count: int = 4) -> dict[str, float]:
        """The statements that took longest since the last call, and forget them."""
        top = dict(sorted(((k, round(v, 3)) for k, v in self.by_statement.items()), key=lambda kv: -kv[1])[:count])
        self.by_statement = {}
        return top

    def reset(self) -> tuple[float, int]:
        taken = (self.seconds, self.statements)
        self.seconds, self.statements = 0.0, 0
        return taken


async def seed(conn: asyncpg.Connection) -> list[uuid.UUID]:
    """20 active reps, a job with a 60-minute SLA (warning 15 before), 20 direct assignments of
    5,000 open leads each with running clocks (due in an hour); the assignment ids."""
    now = datetime.now(UTC)
    reps = [uuid.uuid4() for _ in range(REPS)]
    manager, job = uuid.uuid4(), uuid.uuid4()
    await conn.executemany(
        "INSERT INTO directory_users (id, username, unit_id, unit_path, roles, active, changed_at)"
        " VALUES ($1, $2, $3, '/bench/t/', '{sales}', true, now())",
        [(rep, f"rep{i:02}", uuid.uuid4()) for i, rep in enumerate(reps)])
    await conn.execute("INSERT INTO jobs (id, content, type, created_by, unit_path, sla_minutes, warn_before_minutes)"
                       " VALUES ($1, 'SLA bench', 'benchmark', $2, '/bench/', 60, 15)", job, manager)
    assignments = [uuid.uuid4() for _ in reps]
    await conn.executemany(
        "INSERT INTO assignments (id, job_id, assignee_id, assigned_by, text, direct, status, decided_at, strategy)"
        " VALUES ($1, $2, $3, $4, 'Gọi ngay', true, 'accepted', now(), 'round_robin')",
        [(a, job, rep, manager) for a, rep in zip(assignments, reps)])
    due = now + timedelta(hours=1)
    per = LEADS // REPS
    await conn.copy_records_to_table(
        "assignment_customers", columns=["assignment_id", "customer_id", "previous_owner_id", "state",
                                         "sla_started_at", "contact_due_at", "warn_at"],
        records=[(assignments[i // per], uuid.uuid4(), manager, "open", now, due, due - timedelta(minutes=15))
                 for i in range(LEADS)])
    await conn.execute("VACUUM ANALYZE assignment_customers")
    return assignments


async def drain(pool: asyncpg.Pool, sweep, timed: Timed) -> dict[str, float | int]:
    """Passes of `sweep` until one finds nothing: the leads handled, the passes, the statements'
    seconds in all and in the slowest pass, and the wall seconds."""
    handled, passes, slowest, total = 0, 0, 0.0, 0.0
    started = time.perf_counter()
    timed.reset()
    while done := await sweep(pool):
        handled, passes = handled + done, passes + 1
        seconds, _ = timed.reset()
        slowest, total = max(slowest, seconds), total + seconds
    total += timed.reset()[0]  # the last, empty pass
    return {"leads": handled, "passes": passes, "db_seconds": round(total, 3),
            "slowest_pass_db_seconds": round(slowest, 3), "wall_seconds": round(time.perf_counter() - started, 3)}


async def reference(conn: asyncpg.Connection, changes: str) -> float:
    """One bare UPDATE of the same open leads making the sweep's change, rolled back."""
    tx = conn.transaction()
    await tx.start()
    try:
        started = time.perf_counter()
        await conn.execute(f"UPDATE assignment_customers SET {changes} WHERE state = 'open'")
        return round(time.perf_counter() - started, 3)
    finally:
        await tx.rollback()


async def main() -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{NAME}"')
    timed = Timed()

    async def init(conn: asyncpg.Connection) -> None:
        await init_connection(conn)
        conn.add_query_logger(timed.log)

    try:
        conn = await asyncpg.connect(dsn_of(NAME))
        await init_connection(conn)
        await migrate(conn, MIGRATIONS)
        await seed(conn)
        sla.configure(minute_seconds=60)
        pool = await asyncpg.create_pool(dsn_of(NAME), min_size=1, max_size=2, init=init)
        try:
            idle = [await drain(pool, sla_sweep.sweep, timed) for _ in range(5)]
            print(json.dumps({"bench": "sla_sweep_idle", "open_leads": LEADS,
                              "db_seconds_per_pass": [p["db_seconds"] for p in idle]}))
            floor = await reference(conn, "warned_at = now()")
            await conn.execute("UPDATE assignment_customers SET warn_at = now() - interval '1 second'")
            await conn.execute("VACUUM ANALYZE assignment_customers")
            timed.top()
            warned = await drain(pool, sla_sweep.warn_batch, timed)
            warned["top_statements"] = timed.top()
            print(json.dumps({"bench": "sla_sweep_warn_all", **warned, "reference_update_seconds": floor}))
            floor = await reference(conn, "state = 'recalled', closed_at = now(), recall_reason = 'sla_missed'")
            await conn.execute("UPDATE assignment_customers SET contact_due_at = now() - interval '1 second'")
            await conn.execute("VACUUM ANALYZE assignment_customers")
            recalled = await drain(pool, sla_sweep.recall_batch, timed)
            recalled["top_statements"] = timed.top()
            dealt = await conn.fetchval("SELECT count(*) FROM assignment_customers c JOIN assignments a"
                                        " ON a.id = c.assignment_id WHERE a.redistributed_from IS NOT NULL")
            events = await conn.fetchval("SELECT count(*) FROM outbox")
            print(json.dumps({"bench": "sla_sweep_recall_all", **recalled, "dealt_again": dealt,
                              "events_total": events, "reference_update_seconds": floor}))
        finally:
            await pool.close()
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
