"""CPU milliseconds per request of the edge (nginx), the gateway, the customers service and its
PostgreSQL backends, for a read by id, a page of 20, a phone suffix and a name search, through the
public port (the edge, or the gateway with CRM_EDGE=none), one shape at a time (beside
bench/customers_request_cpu.py, which goes straight to the service).

    eval "$(deploy/local/crm-local env)"      # or a private stack's environment
    .venv/bin/python bench/gateway_request_cpu.py [byid phone6 phone9 list20 name]   # SECS=10

Needs customers_bench.py's customers. `wrk` (20 connections) drives each shape for SECS seconds; /proc
gives each process group's CPU over the run (bench/proc_cpu.py). Results: docs/benchmarks.md,
"Customers at scale (issue 14)" → "The requests' fixed cost".
"""
from __future__ import annotations

import asyncio
import json
import os
import sys

import customers_bench as bench
import httpx
from customers_request_cpu import driven, shapes

GROUPS = ("edge", "crm_gateway", "crm_customers", "pg:crm_customers", "pg:crm_gateway")


async def main(names: list[str]) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        token = await bench.token(client, *bench.ADMIN)
    paths = await shapes()
    for name in names or list(paths):
        run, cpu_ms = driven(bench.GATEWAY, paths[name], token, connections=20)
        print(json.dumps({"shape": name, "rps": run["rps"], "p95_ms": run["p95_ms"],
                          "cpu_ms": {group: ms for group, ms in cpu_ms.items() if group in GROUPS},
                          "load_average": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
