"""What keeping `customer_search` (customers migration 0011: the stored word prefixes, written by
triggers) costs the writes of customers, on the benchmark database (issue 14, "Search").

    CRM_PG_PORT=37432 .venv/bin/python bench/customer_search_writes_bench.py [--rows 100000] [--rounds 2]

Each write runs in a transaction that is rolled back after it is measured, once with the
triggers of `customer_search` and once without them (`ALTER TABLE … DISABLE TRIGGER` inside the same
rolled-back transaction), alternately, `--rounds` times, on the same heap:

* `import_create`: an import chunk's creates, `INSERT INTO customers … SELECT` of `--rows` new rows
  from a staging table (the statement of `store.imports._insert_created`; a COPY fires the same
  statement trigger);
* `import_update`: an import chunk's updates, `UPDATE … FROM` staging of `--rows` existing customers
  with a new name (`store.imports._update_found`: the row trigger fires for each);
* `owner`: `--rows` owner changes (`store.customers.update_owners`: no trigger fires, UPDATE OF
  names only searched columns);
* `create`: 500 single-row INSERTs, one statement each (`POST /customers`), per-row milliseconds.

Prints one JSON line per (write, triggers, round): seconds, WAL bytes per row, load average.
Results: docs/benchmarks.md, "Customers at scale (issue 14)" → "Search" → "5. Landed".
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid

import asyncpg

DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '37432')}/crm_customers")
TRIGGERS = ("customer_search_insert", "customer_search_update", "customer_search_delete")
COLUMNS = "name, phone, email, company_name, tax_code, lifecycle, party_type, status, owner_id, owner_unit_id, owner_unit_path"


async def prepare(conn: asyncpg.Connection, rows: int) -> None:
    await conn.execute("DROP TABLE IF EXISTS bench_search_new, bench_search_old")
    # new customers: existing rows' values under new ids and phones no one has (+999…, no country)
    fresh_phone = "'+9990' || lpad(row_number() OVER ()::text, 7, '0') AS phone"
    await conn.execute(
        f"CREATE UNLOGGED TABLE bench_search_new AS SELECT gen_random_uuid() AS id, {COLUMNS.replace('phone', fresh_phone)}"
        f" FROM customers TABLESAMPLE SYSTEM (10) REPEATABLE (3) WHERE deleted_at IS NULL LIMIT {rows}")
    await conn.execute(
        "CREATE UNLOGGED TABLE bench_search_old AS SELECT id, name || ' Mới' AS name, gen_random_uuid() AS owner_id"
        f" FROM customers TABLESAMPLE SYSTEM (10) REPEATABLE (5) WHERE deleted_at IS NULL LIMIT {rows}")
    await conn.execute("ANALYZE bench_search_new; ANALYZE bench_search_old")
    await conn.execute("VACUUM customers, customer_search")


WRITES = {
    "import_create": f"INSERT INTO customers (id, {COLUMNS}) SELECT id, {COLUMNS} FROM bench_search_new ORDER BY id",
    "import_update": "UPDATE customers c SET name = COALESCE(s.name, c.name), version = c.version + 1,"
                     " updated_at = now() FROM bench_search_old s WHERE c.id = s.id",
    "owner": "UPDATE customers c SET owner_id = s.owner_id, version = c.version + 1, updated_at = now()"
             " FROM bench_search_old s WHERE c.id = s.id",
}


async def measure(conn: asyncpg.Connection, write: str, triggers: bool, rows: int) -> dict:
    tr = conn.transaction()
    await tr.start()
    try:
        if not triggers:
            for name in TRIGGERS:
                await conn.execute(f"ALTER TABLE customers DISABLE TRIGGER {name}")
        wal0 = await conn.fetchval("SELECT pg_current_wal_insert_lsn()")
        started = time.perf_counter()
        if write == "create":
            count = 500
            for i in range(count):
                await conn.execute(
                    "INSERT INTO customers (id, name, phone, email) VALUES ($1, $2, $3, $4)",
                    uuid.uuid4(), f"Nguyễn Văn Bench {i}", f"+9991{i:07d}", f"bench{i}@example.vn")
        else:
            count = int((await conn.execute(WRITES[write])).split()[-1])
        seconds = time.perf_counter() - started
        wal = await conn.fetchval("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)", wal0)
    finally:
        await tr.rollback()
    return {"write": write, "triggers": triggers, "rows": count, "seconds": round(seconds, 3),
            "ms_per_row": round(seconds * 1000 / count, 4), "wal_bytes_per_row": round(float(wal) / count),
            "load": os.getloadavg()[0]}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--writes", default="import_create,import_update,owner,create")
    args = parser.parse_args()
    conn = await asyncpg.connect(DSN)
    try:
        await conn.execute("SET statement_timeout = 0")
        await prepare(conn, args.rows)
        for round_no in range(args.rounds):
            for write in args.writes.split(","):
                for triggers in ((True, False) if round_no % 2 == 0 else (False, True)):
                    print(json.dumps({"round": round_no, **await measure(conn, write, triggers, args.rows)}), flush=True)
                    await conn.execute("VACUUM customers, customer_search")
    finally:
        await conn.execute("DROP TABLE IF EXISTS bench_search_new, bench_search_old")
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
