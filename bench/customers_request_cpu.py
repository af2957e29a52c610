"""CPU milliseconds per request of the customers service and of its PostgreSQL backends, for the list
and search shapes beside a read by id, straight to the service (no gateway), one shape at a time.

    eval "$(deploy/local/crm-local env)"      # or a private stack's environment
    .venv/bin/python bench/customers_request_cpu.py [byid phone6 phone4 phone9 list20 list1 name]   # SECS=10

Needs customers_bench.py's organisation and customers. `wrk` (10 connections) drives each shape for
SECS seconds; /proc gives each process group's CPU over the run (bench/proc_cpu.py): on a shared
machine req/s moves with the load, CPU per request much less. Results: docs/benchmarks.md, "Customers
at scale (issue 14)" → "Search: the GIN pending list".
"""
from __future__ import annotations

import asyncio
import json
import os
import sys

import asyncpg
import customers_bench as bench
import httpx
import proc_cpu

SERVICE = bench.SERVICE


async def shapes() -> dict[str, list[str]]:
    conn = await asyncpg.connect(bench.DSN)
    try:
        ids = [r[0] for r in await conn.fetch(
            "SELECT id FROM customers TABLESAMPLE SYSTEM (1) WHERE deleted_at IS NULL LIMIT 3000")]
        phones = [r[0] for r in await conn.fetch("SELECT phone FROM customers TABLESAMPLE SYSTEM (1) LIMIT 500")]
    finally:
        await conn.close()
    return {
        "byid": [f"/api/v1/customers/{i}" for i in ids],
        "phone6": [f"/api/v1/customers?q={p[-6:]}&limit=20" for p in phones],
        "phone4": [f"/api/v1/customers?q={p[-4:]}&limit=20" for p in phones],
        # the national number without its 0: one customer, the page of a real book's 6-digit suffix
        # (the generator's first numbers repeated each 7-digit tail under 30 prefixes: 30 matches)
        "phone9": [f"/api/v1/customers?q={p[-9:]}&limit=20" for p in phones],
        "list20": ["/api/v1/customers?limit=20"],
        "list1": ["/api/v1/customers?limit=1"],
        "name": [f"/api/v1/customers?q={q.replace(' ', '+')}&limit=20" for q in bench.NAME_QUERIES],
    }


def driven(base: str, paths: list[str], token: str, *, connections: int) -> tuple[dict, dict[str, float]]:
    """`wrk` on `paths` for SECS seconds, and each process group's CPU milliseconds a request."""
    before = proc_cpu.snap()
    run = bench.wrk(base, paths, token, connections=connections, seconds=int(os.environ.get("SECS", "10")))
    cpu = proc_cpu.delta(before, proc_cpu.snap())
    return run, {group: round(seconds * 1000 / run["requests"], 3) for group, seconds in sorted(cpu.items())}


async def main(names: list[str]) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        token = await bench.token(client, *bench.ADMIN)
    paths = await shapes()
    for name in names or list(paths):
        run, cpu_ms = driven(SERVICE, paths[name], token, connections=10)
        print(json.dumps({"shape": name, "rps": run["rps"], "p95_ms": run["p95_ms"],
                          "service_cpu_ms": cpu_ms.get("crm_customers", 0),
                          "postgres_cpu_ms": cpu_ms.get("pg:crm_customers", 0),
                          "load_average": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
