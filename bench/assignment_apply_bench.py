"""How fast the customers service applies a distribution of 100,000 leads (A-3, E-3, S-1).

    .venv/bin/python bench/assignment_apply_bench.py

Against the `make up` database with the 1,000,000 benchmark customers (`customers_bench.py load`):
takes 100,000 live customers, and feeds 20 `assignment.direct` events of 5,000 customers each
(one per rep) to the customers service's own handler, each in one transaction as its consumer
runs them. Every transaction is rolled back after it is timed, so the data stays as it was.
Reported: seconds for the 100,000, and the batch events the handler wrote (counted before the
rollback).
"""
from __future__ import annotations

import asyncio
import json
import os
import time
import uuid

import asyncpg

from crmkit.db import init_connection
from crmkit.events import Envelope

from crm_customers.handlers.assignments import HANDLERS

DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers")
REPS, PER_REP = 20, 5_000


class Rollback(Exception):
    pass


async def main() -> None:
    conn = await asyncpg.connect(DSN)
    await init_connection(conn)
    try:
        ids = [r["id"] for r in await conn.fetch(
            "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY random() LIMIT $1", REPS * PER_REP)]
        total, events = 0.0, 0
        for rep in range(REPS):
            envelope = Envelope(type="assignment.direct", source="assignment", subject=str(uuid.uuid4()), data={
                "assignment_id": str(uuid.uuid4()), "assignee_id": str(uuid.uuid4()),
                "assignee_unit_id": str(uuid.uuid4()), "assignee_unit_path": f"/bench/rep{rep}/",
                "customer_ids": [str(i) for i in ids[rep * PER_REP:(rep + 1) * PER_REP]]})
            try:
                async with conn.transaction():
                    started = time.perf_counter()
                    await HANDLERS["assignment.direct"](conn, envelope)
                    total += time.perf_counter() - started
                    events += await conn.fetchval(
                        "SELECT count(*) FROM outbox WHERE event_type IN"
                        " ('customers.bulk_owner_changed', 'customer.owner_changed', 'customer.updated')"
                        " AND payload->>'causation_id' = $1", str(envelope.id))
                    raise Rollback
            except Rollback:
                pass
        print(json.dumps({"bench": "assignment_apply", "customers": len(ids), "events_in": REPS,
                          "events_out": events, "seconds": round(total, 2),
                          "customers_per_second": round(len(ids) / total)}))
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
