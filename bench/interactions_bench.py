"""Benchmarks of the interactions issue (issue 4), in-process against a throwaway database.

    .venv/bin/python bench/interactions_bench.py            # timeline + ingest
    .venv/bin/python bench/interactions_bench.py timeline   # (a) only
    .venv/bin/python bench/interactions_bench.py ingest     # (b) only
    .venv/bin/python bench/interactions_bench.py kafka      # (c) only

Creates `bench_interactions_<hex>` on the dev PostgreSQL (crm/crm@127.0.0.1:25432, override with
CRM_BENCH_PG_DSN pointing at the `postgres` database), applies the interactions migrations with
`crmkit.db.migrate`, and drops it at the end.

(a) Timeline reads: one customer with 10,000 entries (loaded with COPY), then 200 first-page and 200
    deep-page reads (page size 50, cursor ~9,000 entries deep) through the handler
    `crm_interactions.handlers.timeline.read_timeline` — in-process, NOT through the gateway and
    without HTTP, auth or JSON serialisation. p50/p95 in milliseconds.
(b) Batch ingest: 1,000,000 `imported` entries as 200 batch events of 5,000 customers each, each event
    applied as a batch consumer does: one transaction, `store.timeline.insert_entries` (COPY into a
    temporary table + one INSERT … ON CONFLICT DO NOTHING). The visibility model holds the 1,000,000
    customers beforehand (the purge check of insert_entries then has real rows to probe). Target ≤ 30 s.
(c) Batch ingest through Kafka, the real path: 200 `customers.bulk_imported` events of 5,000 new
    customers each are produced to a fresh topic on the dev Kafka (127.0.0.1:29092, override with
    CRM_KAFKA_BOOTSTRAP), then the interactions consumer (crmkit EventConsumer + the service's own
    handler map) is started and timed until its inbox holds all 200 events: Kafka fetch, envelope
    parsing, inbox, visibility-model upsert of the new customers, COPY of the entries and the
    `interactions.bulk_recorded` outbox row, one transaction per event. Target ≤ 30 s.

Results go to stdout as JSON lines and to .local/bench/results.jsonl.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer

from crmkit.auth import SALES, Principal
from crmkit.consumer import EventConsumer
from crmkit.db import create_pool, migrate
from crmkit.events import Envelope
from crmkit.ids import new_ids
from crmkit.testing import create_topics, delete_topics

from crm_interactions.consumers import CONSUMERS
from crm_interactions.handlers.timeline import read_timeline
from crm_interactions.store import access
from crm_interactions.store import timeline as store

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".local" / "bench"
MIGRATIONS = ROOT / "services" / "interactions" / "migrations"
BOOTSTRAP = os.environ.get("CRM_KAFKA_BOOTSTRAP", "127.0.0.1:29092")
ADMIN_DSN = os.environ.get("CRM_BENCH_PG_DSN", "postgresql://crm:crm@127.0.0.1:25432/postgres")
TIMELINE_ENTRIES = 10_000
READS = 200
PAGE = 50
INGEST_TOTAL = 1_000_000
CHUNK = 5_000


def report(name: str, **values) -> None:
    line = json.dumps({"bench": name, **values}, ensure_ascii=False)
    print(line, flush=True)
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "results.jsonl", "a") as f:
        f.write(line + "\n")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2), "max_ms": round(ordered[-1] * 1000, 2)}


async def bench_timeline(pool: asyncpg.Pool) -> None:
    owner = uuid.uuid4()
    customer = uuid.uuid4()
    principal = Principal(user_id=owner, username="bench_rep", unit_id=None, unit_path="/bench/",
                          roles=frozenset({SALES}))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    async with pool.acquire() as conn:
        await access.upsert_access(conn, customer_id=customer, owner_id=owner, owner_unit_path="/bench/",
                                  holder_id=None, viewer_ids=[], version=1)
        types = ["note", "call", "classified", "imported", "care"]
        await conn.copy_records_to_table(
            "timeline_entries", columns=["id", "customer_id", "type", "occurred_at", "actor_id", "note"],
            records=[(uuid.uuid4(), customer, types[i % len(types)], start + timedelta(minutes=i), owner,
                      f"ghi chú {i}") for i in range(TIMELINE_ENTRIES)])
        await conn.execute("ANALYZE timeline_entries")
    # the cursor of a deep page: ~9,000 entries behind the newest
    rows, cursor = None, None
    for _ in range(9_000 // PAGE):
        rows, cursor = await read_timeline(pool, principal=principal, customer_id=customer, limit=PAGE,
                                           cursor=cursor, types=None)
    deep_cursor = cursor
    for label, page_cursor in (("timeline_first_page", None), ("timeline_deep_page", deep_cursor)):
        for _ in range(10):  # warm-up
            await read_timeline(pool, principal=principal, customer_id=customer, limit=PAGE, cursor=page_cursor,
                                types=None)
        samples = []
        for _ in range(READS):
            t0 = time.perf_counter()
            rows, _ = await read_timeline(pool, principal=principal, customer_id=customer, limit=PAGE,
                                          cursor=page_cursor, types=None)
            samples.append(time.perf_counter() - t0)
            assert len(rows) == PAGE
        report(label, entries=TIMELINE_ENTRIES, page_size=PAGE, path="in-process handler read_timeline",
               **percentiles(samples))


async def bench_ingest(pool: asyncpg.Pool) -> None:
    customers = [uuid.uuid4() for _ in range(INGEST_TOTAL)]
    async with pool.acquire() as conn:
        await conn.copy_records_to_table(
            "customer_access", columns=["customer_id", "owner_id", "owner_unit_path", "version"],
            records=[(c, None, "/bench/", 1) for c in customers])
        await conn.execute("ANALYZE customer_access")
    actor = uuid.uuid4()
    now = datetime.now(UTC)
    chunks = [customers[i:i + CHUNK] for i in range(0, INGEST_TOTAL, CHUNK)]
    inserted = 0
    build = database = 0.0
    async with pool.acquire() as conn:
        t0 = time.perf_counter()
        for n, chunk in enumerate(chunks):
            t1 = time.perf_counter()
            event_id = uuid.uuid4()  # one batch event per chunk, as the import service publishes them
            per_customer = [(c, {"job_id": "bench", "row": n * CHUNK + k}) for k, c in enumerate(chunk)]
            t2 = time.perf_counter()
            async with conn.transaction():
                rows = await store.insert_entries(conn, type_="imported", occurred_at=now, actor_id=actor,
                                                  note=None, source_event_id=event_id, per_customer=per_customer)
            database += time.perf_counter() - t2
            build += t2 - t1
            inserted += len(rows)
        elapsed = time.perf_counter() - t0
    assert inserted == INGEST_TOTAL, inserted
    report("timeline_ingest_imported", entries=inserted, chunk=CHUNK, events=len(chunks),
           seconds=round(elapsed, 2), rows_per_second=round(inserted / elapsed), target_seconds=30,
           build_tuples_seconds=round(build, 2), insert_entries_seconds=round(database, 2))


def imported_batch(n: int, actor: uuid.UUID) -> Envelope:
    """The n-th chunk of a 1M-row import job as the customers service publishes it."""
    ids = new_ids(CHUNK)  # new customers get time-ordered ids (crmkit.ids), as the customers service gives them
    return Envelope(type="customers.bulk_imported", source="customers", subject=str(uuid.uuid4()), actor=str(actor),
                    data={"batch_id": str(uuid.uuid4()), "job_id": "bench-job", "ids": ids, "versions": [1] * CHUNK,
                          "rows": list(range(n * CHUNK + 2, (n + 1) * CHUNK + 2)), "actions": ["created"] * CHUNK,
                          "owner_ids": [str(actor)] * CHUNK, "owner_unit_paths": ["/bench/team/"] * CHUNK})


async def bench_ingest_kafka(pool: asyncpg.Pool) -> None:
    topic = f"bench.customers.{uuid.uuid4().hex[:8]}"
    await create_topics(BOOTSTRAP, topic)
    actor = uuid.uuid4()
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True,
                                max_request_size=4 * 1024 * 1024)
    await producer.start()
    try:
        sizes = []
        for n in range(INGEST_TOTAL // CHUNK):
            envelope = imported_batch(n, actor)
            raw = envelope.to_bytes()
            sizes.append(len(raw))
            await producer.send_and_wait(topic, raw, key=envelope.subject.encode(), headers=envelope.kafka_headers())
    finally:
        await producer.stop()
    [customers] = [c for c in CONSUMERS if c.name == "customers"]
    consumer = EventConsumer(name="bench-interactions", pool=pool, bootstrap=BOOTSTRAP, topics=[topic],
                             handlers=customers.handlers, group_id=f"bench-{topic}")
    t0 = time.perf_counter()
    task = asyncio.create_task(consumer.run())
    try:
        while await pool.fetchval("SELECT count(*) FROM inbox") < len(sizes):
            if task.done():
                task.result()
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - t0
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await delete_topics(BOOTSTRAP, topic)
    entries = await pool.fetchval("SELECT count(*) FROM timeline_entries WHERE type = 'imported'")
    visible = await pool.fetchval("SELECT count(*) FROM customer_access")
    assert entries == INGEST_TOTAL and visible == INGEST_TOTAL, (entries, visible)
    report("timeline_ingest_imported_via_kafka", entries=entries, chunk=CHUNK, events=len(sizes),
           event_bytes_avg=round(statistics.mean(sizes)), seconds=round(elapsed, 2),
           rows_per_second=round(entries / elapsed), target_seconds=30)


async def main(which: list[str]) -> None:
    benches = {"timeline": bench_timeline, "ingest": bench_ingest, "kafka": bench_ingest_kafka}
    for name in which:  # each measurement on a database of its own
        await on_fresh_database(benches[name])


async def on_fresh_database(bench) -> None:
    name = f"bench_interactions_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = ADMIN_DSN.rpartition("/")[0] + "/" + name
    try:
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn, MIGRATIONS)
            report("server", version=await conn.fetchval("SHOW server_version"), database=name)
        finally:
            await conn.close()
        pool = await create_pool(dsn, min_size=1, max_size=4)
        try:
            await bench(pool)
        finally:
            await pool.close()
    finally:
        admin = await asyncpg.connect(ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or ["timeline", "ingest", "kafka"]))
