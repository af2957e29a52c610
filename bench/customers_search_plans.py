"""EXPLAIN (ANALYZE, BUFFERS) of every search shape of customers_bench.py (the 12 names, phone suffixes of
4 and 6 digits), as the admin and as the benchmark branch manager, with the SQL the customers service itself
builds (store.selection.customer_where + store.paging): database time, buffers and the index the plan uses.

    CRM_PG_PORT=... .venv/bin/python bench/customers_search_plans.py          # one JSON line per shape
    CRM_PG_PORT=... .venv/bin/python bench/customers_search_plans.py plans    # and the plans as text

Needs the benchmark organisation of customers_bench.py (.local/bench/org.json) and its customers; read-only.
Results: docs/benchmarks.md, "Customers at scale (issue 14)" → "Search".
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import uuid
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "services" / "customers" / "src"), str(ROOT / "libs" / "crmkit" / "src"), str(ROOT / "bench")]

from customers_bench import NAME_QUERIES  # noqa: E402

from crmkit.auth import ADMIN, MANAGER, Principal  # noqa: E402

from crm_customers.domain.selection import CustomerFilter, parse_sort  # noqa: E402
from crm_customers.store import paging  # noqa: E402
from crm_customers.store.selection import listing_where  # noqa: E402

DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers")


def callers() -> list[tuple[str, Principal]]:
    manager = json.loads((ROOT / ".local" / "bench" / "org.json").read_text())["manager"]
    return [("admin", Principal(uuid.uuid4(), "admin", None, "/", frozenset({ADMIN}))),
            ("manager", Principal(uuid.UUID(manager["id"]), manager["username"], None, manager["path"],
                                  frozenset({MANAGER})))]


def index_of(plan_text: str) -> str:
    for name in ("customer_search_recent", "customer_search_prefixes", "customers_search_doc", "customers_phone_rev", "customers_live_created"):
        if name in plan_text:
            return name
    return "other"


async def measured(conn: asyncpg.Connection, sql: str, params: list) -> tuple[int, float, int, dict]:
    """(rows, median ms of 3, buffers, plan) of one statement, warmed once."""
    rows = await conn.fetch(sql, *params)
    times, plan = [], {}
    for _ in range(3):
        plan = json.loads(await conn.fetchval("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, *params))[0]
        times.append(plan["Execution Time"])
    top = plan["Plan"]
    return len(rows), statistics.median(times), top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0), plan


async def main(show_plans: bool) -> None:
    """Each shape as the list answers its first page of 20 (handlers.listing): a search of common
    words walks `customer_search_recent` first and takes the ordinary plan only when the walk did
    not fill the page ("walk+ordinary": both statements' time and buffers); a search read with the ids
    first takes its matches newest first ("matches", or "walk+matches")."""
    conn = await asyncpg.connect(DSN)
    phones = [r["phone"] for r in await conn.fetch(
        "SELECT phone FROM customers TABLESAMPLE BERNOULLI (0.01) REPEATABLE (7) ORDER BY phone LIMIT 4")]
    shapes = [("name", q) for q in NAME_QUERIES] + [("phone", p[-k:]) for p in phones for k in (4, 6)]
    sort = parse_sort(None)
    for who, principal in callers():
        for kind, q in shapes:
            listing = await listing_where(conn, CustomerFilter(q=q), principal)
            steps = []
            walk = listing.walk
            expected_rows = None if walk is None else await paging.expected_walk(
                conn, where=walk.where, params=walk.where_params, spacing=walk.spacing, limit=20)
            if walk is not None and expected_rows is not None:  # the probe, then (when it found some) the walk
                for rows in paging.walk_lengths(expected_rows, 20):
                    steps.append(("walk", *paging.walked_sql(where=walk.where, search=walk.search, params=walk.params,
                                                              sort=sort, cursor=None, limit=20, rows=rows)))
            if listing.matches is not None and await paging.matches_fit(conn, matches=listing.matches):
                steps.append(("matches", *paging.newest_matches_sql(matches=listing.matches, sort=sort, cursor=None,
                                                                     limit=20)))
            else:
                steps.append(("ordinary", f"SELECT {paging.SELECT_COLUMNS} FROM customers c WHERE {listing.where}"
                                          f" ORDER BY {paging.order_by_sql(sort)} LIMIT 21", listing.params))
            path, rows, ms, buffers, plans = [], 0, 0.0, 0, []
            barren = False  # the probe found none: no full walk
            for name, sql, args in steps:
                if name == "walk" and barren:
                    continue
                rows, step_ms, step_buffers, plan = await measured(conn, sql, args)
                path.append(name)
                ms, buffers = ms + step_ms, buffers + step_buffers
                plans.append((sql, args))
                if name == "walk" and rows > 20:
                    break
                barren = name == "walk" and rows == 0
            print(json.dumps({"caller": who, "kind": kind, "q": q, "rows": min(rows, 20), "path": "+".join(path),
                              "ms_median_of_3": round(ms, 2), "buffers": buffers,
                              "index": index_of(json.dumps(plan))}), flush=True)
            if show_plans:
                for sql, args in plans:
                    print("\n".join(r[0] for r in await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)))
    await conn.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] == ["plans"]))
