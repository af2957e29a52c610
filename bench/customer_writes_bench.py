"""What a write that touches one column costs on 1M customers, per schema (issue 14, "writes that
touch one column").

    CRM_CUSTOMERS_DATABASE_URL=postgresql://postgres@127.0.0.1:37432/crm_customers_w \\
        .venv/bin/python bench/customer_writes_bench.py [--rows 100000] [--runs 1] [--only NAME,...]

Run it on a scratch COPY of the benchmark database (`CREATE DATABASE crm_customers_w TEMPLATE
crm_customers`): it changes the table's storage (fillfactor, VACUUM FULL) and builds side tables.
Every update is rolled back after it is measured, and the table is VACUUMed before each run (a
rolled-back update leaves 100,000 dead versions that slow the next run).

Per change kind, on the same 100,000 live customers (a fixed pseudo-random sample spread over the
whole table, as a filter-selected bulk action is):

* `owner`: owner_id, owner_unit_id, owner_unit_path, holder_id, version, updated_at (the apply path
  of an assignment event, `store.customers.update_owners`);
* `labels`: one label appended, version, updated_at (the bulk label action, `store.bulk`);
* `status`: status to another key (the bulk status action; the FK to customer_statuses is checked);
* `touch`: version and updated_at alone (what every other change also writes).

Per schema variant: the bare UPDATE's seconds, the WAL it wrote (`pg_current_wal_lsn()` before and
after, bytes per row) and how many of the row updates were HOT (`pg_stat_xact_user_tables`, read in
the same transaction). Index variants are made by DROP INDEX inside the measured transaction (rolled
back with it), so each one is measured on the same heap, in the same run, beside the current schema.
Side-table variants (labels / owners in their own narrow tables) write the side table plus the
version/updated_at of the customer row, as the product would.

Results and the recommendation: docs/benchmarks.md, "Customers at scale (issue 14)" → "Writes that
touch one column" (no update is HOT today; the index set is 85–90% of a one-column write).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import time

import asyncpg

DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://postgres@127.0.0.1:{os.environ.get('CRM_PG_PORT', '37432')}/crm_customers_w")

SET = {
    "owner": "owner_id = s.owner_id, owner_unit_id = s.owner_unit_id, owner_unit_path = s.owner_unit_path,"
             " holder_id = s.holder_id, version = c.version + 1, updated_at = now()",
    "labels": "labels = array_append(c.labels, 'bench-label'), version = c.version + 1, updated_at = now()",
    "status": "status = CASE WHEN c.status = 'new' THEN 'contacted' ELSE 'new' END,"
              " version = c.version + 1, updated_at = now()",
    "touch": "version = c.version + 1, updated_at = now()",
}
TOUCH = "UPDATE customers c SET version = c.version + 1, updated_at = now() FROM bench_sample s WHERE c.id = s.id"

# Indexes whose key or predicate holds a column each kind changes (updated_at: every kind).
UPDATED = ["customers_live_updated"]
OWNER = ["customers_owner", "customers_unit_path", "customers_owner_unit", "customers_holder",
         "customers_holder_created"]
# Indexes no query needs (see docs/benchmarks.md, "Writes that touch one column"): customers_holder
# is the prefix of customers_holder_created (same predicate).
REDUNDANT = ["customers_holder"]

VARIANTS: dict[str, dict] = {
    # name: drop = indexes dropped in the measured transaction; sql = per kind statements (default SET)
    "current": {"drop": []},
    "no_updated_idx": {"drop": UPDATED},
    "no_search_gin": {"drop": ["customers_search_doc"]},
    # the search document's trigram GIN and the phone suffix index moved to customer_search
    "no_search_cols": {"drop": ["customers_search_doc", "customers_phone_rev"]},
    # status unindexed (the "status in use" check and filters read the table)
    "no_updated_status": {"drop": UPDATED + ["customers_status"]},
    "no_updated_search_holder": {"drop": UPDATED + ["customers_search_doc"] + REDUNDANT},
    # the lower bound: only the primary key (what a row costs when no index has to change)
    "pkey_only": {"drop": "ALL"},
    # the lean table: search document (and phone suffix) in their own table, labels and groups in
    # link tables, no updated_at index, no redundant holder index; owner columns stay
    "lean": {"drop": UPDATED + REDUNDANT + ["customers_search_doc", "customers_phone_rev", "customers_labels_held",
                                            "customers_groups_held"],
             "kinds": {"owner": None, "touch": None, "labels": [
                 "INSERT INTO bench_label_links (label, customer_id) SELECT 'bench-label', id FROM bench_sample"
                 " ON CONFLICT DO NOTHING", TOUCH]}},
    # labels in customer_label_links(customer_id, label); the row only gets version/updated_at
    "labels_table": {"drop": UPDATED, "kinds": {"labels": [
        "INSERT INTO bench_label_links (label, customer_id) SELECT 'bench-label', id FROM bench_sample"
        " ON CONFLICT DO NOTHING", TOUCH]}},
    # owner/holder in customer_owners(customer_id, owner_id, owner_unit_id, owner_unit_path, holder_id,
    # created_at) with the owner-scope indexes there; the row only gets version/updated_at
    "owners_table": {"drop": UPDATED, "kinds": {"owner": [
        "UPDATE bench_owners o SET owner_id = s.owner_id, owner_unit_id = s.owner_unit_id,"
        " owner_unit_path = s.owner_unit_path, holder_id = s.holder_id FROM bench_sample s"
        " WHERE o.customer_id = s.id", TOUCH]}},
}


def side_tables(variants: list[str]) -> set[str]:
    """The side tables the chosen variants write: at 10M building both costs minutes and ~3 GB."""
    sql = " ".join(s for v in variants for ss in VARIANTS[v].get("kinds", {}).values() if ss for s in ss)
    return {t for t in ("bench_label_links", "bench_owners") if t in sql}


async def prepare(conn: asyncpg.Connection, rows: int, tables: set[str]) -> None:
    """The sample (same rows for every run) and the side tables of the chosen side-table variants."""
    if not await conn.fetchval("SELECT to_regclass('bench_sample') IS NOT NULL"):
        # new owner values: another customer's owner (a real rep, unit and path)
        await conn.execute(
            f"CREATE TABLE bench_sample AS"
            f" WITH pick AS (SELECT id, row_number() OVER (ORDER BY md5(id::text)) AS n FROM customers"
            f"               WHERE deleted_at IS NULL ORDER BY md5(id::text) LIMIT {rows}),"
            f"      owners AS (SELECT owner_id, owner_unit_id, owner_unit_path, holder_id,"
            f"                        row_number() OVER (ORDER BY md5(id::text || 'x')) AS n FROM customers"
            f"                 WHERE owner_id IS NOT NULL ORDER BY md5(id::text || 'x') LIMIT {rows})"
            f" SELECT p.id, o.owner_id, o.owner_unit_id, o.owner_unit_path, o.owner_id AS holder_id"
            f" FROM pick p JOIN owners o USING (n)")
        await conn.execute("ALTER TABLE bench_sample ADD PRIMARY KEY (id)")
    if "bench_label_links" in tables and not await conn.fetchval(
            "SELECT to_regclass('bench_label_links') IS NOT NULL"):
        await conn.execute(
            "CREATE TABLE bench_label_links (label text NOT NULL, customer_id uuid NOT NULL,"
            " PRIMARY KEY (label, customer_id))")
        await conn.execute("INSERT INTO bench_label_links SELECT DISTINCT l, id FROM customers, unnest(labels) l")
        await conn.execute("CREATE INDEX ON bench_label_links (customer_id)")
    if "bench_owners" in tables and not await conn.fetchval("SELECT to_regclass('bench_owners') IS NOT NULL"):
        await conn.execute(
            "CREATE TABLE bench_owners AS SELECT id AS customer_id, owner_id, owner_unit_id, owner_unit_path,"
            " holder_id, created_at FROM customers")
        await conn.execute("ALTER TABLE bench_owners ADD PRIMARY KEY (customer_id)")
        await conn.execute("CREATE INDEX ON bench_owners (owner_id, created_at DESC, customer_id DESC)")
        await conn.execute("CREATE INDEX ON bench_owners (owner_unit_path text_pattern_ops)")
        await conn.execute("CREATE INDEX ON bench_owners (owner_unit_id) WHERE owner_unit_id IS NOT NULL")
        await conn.execute("CREATE INDEX ON bench_owners (holder_id, created_at, customer_id)"
                           " WHERE holder_id IS NOT NULL")
    for table in {"bench_sample"} | tables:
        await conn.execute(f"VACUUM ANALYZE {table}")


class Rollback(Exception):
    pass


async def measure(conn: asyncpg.Connection, variant: str, kind: str) -> dict:
    spec = VARIANTS[variant]
    statements = spec.get("kinds", {}).get(kind)
    if statements is None:
        statements = [f"UPDATE customers c SET {SET[kind]} FROM bench_sample s WHERE c.id = s.id"]
    for table in ("customers", "bench_label_links", "bench_owners"):
        if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table):
            await conn.execute(f"VACUUM {table}")
    await conn.execute("CHECKPOINT")
    result: dict = {}
    try:
        async with conn.transaction():
            drop = spec["drop"]
            if drop == "ALL":
                drop = [r["indexrelname"] for r in await conn.fetch(
                    "SELECT indexrelname FROM pg_stat_user_indexes WHERE relname = 'customers'"
                    " AND indexrelname <> 'customers_pkey'")]
            for index in drop:
                await conn.execute(f"DROP INDEX IF EXISTS {index}")  # gone in later migrations: same as current
            indexes = await conn.fetchval("SELECT count(*) FROM pg_indexes WHERE tablename = 'customers'")
            lsn0 = await conn.fetchval("SELECT pg_current_wal_insert_lsn()")
            started = time.perf_counter()
            updated = 0
            for sql in statements:
                status = await conn.execute(sql)
                if sql.startswith("UPDATE customers"):
                    updated = int(status.split()[-1])
            seconds = time.perf_counter() - started
            wal = int(await conn.fetchval("SELECT pg_current_wal_insert_lsn()")) - int(lsn0)
            hot = await conn.fetchrow(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'customers'")
            result = {"variant": variant, "kind": kind, "indexes": indexes, "rows": updated,
                      "seconds": round(seconds, 2), "wal_mb": round(float(wal) / 2**20, 1),
                      "wal_bytes_per_row": round(float(wal) / max(updated, 1)),
                      "hot_share": round(hot["n_tup_hot_upd"] / max(hot["n_tup_upd"], 1), 3)}
            raise Rollback
    except Rollback:
        pass
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated variants")
    parser.add_argument("--kinds", default="owner,labels,status,touch")
    parser.add_argument("--label", default="", help="a tag printed with each result (e.g. ff100)")
    args = parser.parse_args()
    conn = await asyncpg.connect(DSN)
    try:
        variants = [v for v in VARIANTS if not args.only or v in args.only.split(",")]
        await prepare(conn, args.rows, side_tables(variants))
        for _ in range(args.runs):
            for variant in variants:
                kinds = args.kinds.split(",")
                if "kinds" in VARIANTS[variant]:
                    kinds = [k for k in kinds if k in VARIANTS[variant]["kinds"]]
                for kind in kinds:
                    row = await measure(conn, variant, kind)
                    row["fillfactor"] = await conn.fetchval(
                        "SELECT coalesce((SELECT option_value FROM pg_options_to_table(reloptions)"
                        " WHERE option_name = 'fillfactor'), '100') FROM pg_class WHERE relname = 'customers'")
                    row["load"] = os.getloadavg()[0]
                    row["tag"] = args.label
                    print(json.dumps(row), flush=True)
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
