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
from crm_customers.store.selection import customer_where  # noqa: E402

DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers")


def callers() -> list[tuple[str, Principal]]:
    manager = json.loads((ROOT / ".local" / "bench" / "org.json").read_text())["manager"]
    return [("admin", Principal(uuid.uuid4(), "admin", None, "/", frozenset({ADMIN}))),
            ("manager", Principal(uuid.UUID(manager["id"]), manager["username"], None, manager["path"],
                                  frozenset({MANAGER})))]


def index_of(plan_text: str) -> str:
    for name in ("customer_search_prefixes", "customers_search_doc", "customers_phone_rev", "customers_live_created"):
        if name in plan_text:
            return name
    return "other"


async def main(show_plans: bool) -> None:
    conn = await asyncpg.connect(DSN)
    phones = [r["phone"] for r in await conn.fetch(
        "SELECT phone FROM customers TABLESAMPLE BERNOULLI (0.01) REPEATABLE (7) ORDER BY phone LIMIT 4")]
    shapes = [("name", q) for q in NAME_QUERIES] + [("phone", p[-k:]) for p in phones for k in (4, 6)]
    for who, principal in callers():
        for kind, q in shapes:
            where, params = await customer_where(conn, CustomerFilter(q=q), principal)
            sql = (f"SELECT {paging.SELECT_COLUMNS} FROM customers c WHERE {where}"
                   f" ORDER BY {paging.order_by_sql(parse_sort(None))} LIMIT 21")
            rows = await conn.fetch(sql, *params)  # warm
            times, plan = [], {}
            for _ in range(3):
                plan = json.loads(await conn.fetchval("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, *params))[0]
                times.append(plan["Execution Time"])
            top = plan["Plan"]
            print(json.dumps({"caller": who, "kind": kind, "q": q, "rows": len(rows),
                              "ms_median_of_3": round(statistics.median(times), 2),
                              "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
                              "index": index_of(json.dumps(plan))}), flush=True)
            if show_plans:
                print("\n".join(r[0] for r in await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *params)))
    await conn.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] == ["plans"]))
