"""How a selection of 100,000 customers travels from the customers service to the assignment
service (crmkit.customer_rows): a JSON array of arrays built by PostgreSQL against the packed rows
of the chosen format. Build = the query returning the body; read = into rows with UUIDs.

    .venv/bin/python bench/customer_rows_bench.py   # against the customers database of `make up`
                                                     # holding the benchmark customers
"""
from __future__ import annotations

import asyncio
import os
import statistics
import time

import asyncpg
import orjson
from asyncpg.pgproto.pgproto import UUID

from crmkit import customer_rows

from crm_customers.store import distribution
from crm_customers.store.customers import Params

DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers")
ROWS = 100_000
WHERE = "(c.deleted_at IS NULL AND TRUE)"  # an admin's whole table
JSON_ROWS = (
    "WITH picked AS MATERIALIZED (SELECT c.id, c.owner_id, c.owner_unit_id, c.owner_unit_path, c.province_code,"
    f" c.version FROM customers c WHERE {WHERE} LIMIT $1) SELECT coalesce(json_agg(json_build_array(id, owner_id,"
    " owner_unit_id, owner_unit_path, province_code, version)), '[]'::json)::text FROM picked")


def read_json(body: bytes) -> list[tuple]:
    known: dict = {None: None}
    rows = []
    for customer_id, owner_id, unit_id, path, province, version in orjson.loads(body):
        owner = known.get(owner_id, ...)
        if owner is ...:
            owner = known[owner_id] = UUID(owner_id)
        unit = known.get(unit_id, ...)
        if unit is ...:
            unit = known[unit_id] = UUID(unit_id)
        rows.append((UUID(customer_id), owner, unit, path, province, version))
    return rows


async def main() -> None:
    conn = await asyncpg.connect(DSN)
    runs: dict[str, list[tuple[float, float, int]]] = {"json array of arrays": [], "packed rows": []}
    for _ in range(5):
        start = time.perf_counter()
        body = (await conn.fetchval(JSON_ROWS, ROWS)).encode()
        built = time.perf_counter()
        read_json(body)
        runs["json array of arrays"].append((built - start, time.perf_counter() - built, len(body)))
        start = time.perf_counter()
        units, packed = await distribution.selection_rows(conn, where=WHERE, params=Params(), limit=ROWS)
        body = customer_rows.encode(units, packed)
        built = time.perf_counter()
        customer_rows.decode(body)
        runs["packed rows"].append((built - start, time.perf_counter() - built, len(body)))
    for name, results in runs.items():
        print(f"{name:22} build {statistics.median(r[0] for r in results):.3f} s  read"
              f" {statistics.median(r[1] for r in results):.3f} s  {results[0][2] / 1e6:.1f} MB  (load {os.getloadavg()[0]:.1f})")
    await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
