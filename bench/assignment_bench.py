"""A distribution of 100,000 leads through the gateway, end to end (A-3, E-3, S-1).

    CRM_GATEWAY_RATE_LIMIT_USER_PER_MINUTE=1000000 CRM_GATEWAY_RATE_LIMIT_USER_BURST=100000 make up
    .venv/bin/python bench/assignment_bench.py

Against the `make up` platform holding the 1,000,000 benchmark customers (`customers_bench.py load`).
Those were loaded by COPY, so no event told the assignment service about them. Set-up copies the
owner, unit and holder of 100,000 of them into its `customer_refs` (what `crm.customers` events
would have done), and the admin creates 20 sales reps `bench.ar.01…20` when missing.

Set-up also recalls what an interrupted earlier run left with the reps.

Measured:
1. `POST /api/v1/assignments` as admin: the 100,000 ids, direct, round-robin over the 20 reps.
   Time = request sent → 201 received.
2. From the same start until the customers service has applied every `assignment.direct` (all
   100,000 owned by the reps), and until the interactions service has written the 100,000
   `assigned` timeline lines. Both are polled in their databases every 250 ms.
3. `POST /api/v1/recalls` for each of the 20 assignments, which gives the customers back to
   their previous owners and so leaves the data as it was; then the time until the customers
   service has applied them.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import ensure_user, login  # noqa: E402
from interactions_bench import report  # noqa: E402

GATEWAY = f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}"
PG = f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}"
ADMIN = (os.environ.get("CRM_ADMIN_USERNAME", "admin"), os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
LEADS, REPS = 100_000, 20


async def reps(client: httpx.AsyncClient, admin: dict) -> list[str]:
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
    return [(await ensure_user(client, admin, f"bench.ar.{i:02d}", root, ["sales"]))["id"] for i in range(1, REPS + 1)]


async def leads() -> list[str]:
    """100,000 live customers, made known to the assignment service (set-up, see the docstring)."""
    customers = await asyncpg.connect(f"{PG}/crm_customers")
    assignment = await asyncpg.connect(f"{PG}/crm_assignment")
    try:
        rows = await customers.fetch(
            "SELECT id, owner_id, owner_unit_path, holder_id, version FROM customers"
            " WHERE deleted_at IS NULL AND holder_id IS NULL ORDER BY id LIMIT $1", LEADS)
        await assignment.execute("DELETE FROM customer_refs WHERE customer_id = ANY($1::uuid[])", [r["id"] for r in rows])
        await assignment.copy_records_to_table(
            "customer_refs", columns=["customer_id", "owner_id", "owner_unit_path", "holder_id", "version"],
            records=[tuple(r) for r in rows])
        return [str(r["id"]) for r in rows]
    finally:
        await customers.close()
        await assignment.close()


async def wait_until(dsn: str, sql: str, args: list, expected: int, started: float, timeout: float = 600) -> float:
    conn = await asyncpg.connect(dsn)
    try:
        while time.perf_counter() - started < timeout:
            if await conn.fetchval(sql, *args) >= expected:
                return time.perf_counter() - started
            await asyncio.sleep(0.25)
        raise TimeoutError(sql)
    finally:
        await conn.close()


async def recall_leftovers(client: httpx.AsyncClient, admin: dict, rep_ids: list[str]) -> None:
    """An interrupted earlier run may have left the reps owning leads: give them back first."""
    for rep_id in rep_ids:
        page = (await client.get("/api/v1/assignments", headers=admin, params={"status": "accepted", "limit": 200})).json()
        for assignment in page["items"]:
            if assignment["assignee_id"] == rep_id and assignment["open_count"]:
                (await client.post("/api/v1/recalls", headers=admin,
                                   json={"assignment_id": assignment["id"]})).raise_for_status()
    await wait_until(f"{PG}/crm_customers", "SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM customers"
                     " WHERE owner_id = ANY($1::uuid[])", [rep_ids], 1, time.perf_counter())


async def main() -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=600) as client:
        admin = await login(client, *ADMIN)
        rep_ids = await reps(client, admin)
        await recall_leftovers(client, admin, rep_ids)
        ids = await leads()
        started = time.perf_counter()
        r = await client.post("/api/v1/assignments", headers=admin, json={
            "customer_ids": ids, "text": "Chia lead chiến dịch", "direct": True, "strategy": "round_robin",
            "assignees": rep_ids, "job": {"content": "Đo chia 100.000 lead", "type": "benchmark"}})
        posted = time.perf_counter() - started
        r.raise_for_status()
        made = r.json()["assignments"]
        owned = await wait_until(f"{PG}/crm_customers", "SELECT count(*) FROM customers WHERE owner_id = ANY($1::uuid[])"
                                 " AND id = ANY($2::uuid[])", [rep_ids, ids], len(ids), started)
        lines = await wait_until(
            f"{PG}/crm_interactions", "SELECT count(*) FROM timeline_entries WHERE type = 'assigned'"
            " AND occurred_at > now() - interval '1 hour' AND data->>'reason' = 'assignment.direct'"
            " AND customer_id = ANY($1::uuid[])", [ids], len(ids), started)
        report("distribution_100k", leads=len(ids), reps=REPS, assignments=len(made),
               post_seconds=round(posted, 2), customers_owned_seconds=round(owned, 2),
               timeline_lines_seconds=round(lines, 2))

        started = time.perf_counter()
        for assignment in made:
            (await client.post("/api/v1/recalls", headers=admin,
                               json={"assignment_id": assignment["id"]})).raise_for_status()
        recalled_posts = time.perf_counter() - started
        back = await wait_until(f"{PG}/crm_customers", "SELECT count(*) FROM customers WHERE id = ANY($2::uuid[])"
                                " AND (owner_id IS NULL OR NOT owner_id = ANY($1::uuid[]))", [rep_ids, ids], len(ids), started)
        report("recall_100k", leads=len(ids), recall_posts_seconds=round(recalled_posts, 2),
               customers_back_seconds=round(back, 2))
        print(json.dumps({"note": "owners restored by the recall"}))


if __name__ == "__main__":
    asyncio.run(main())
