"""A distribution of 100,000 leads through the gateway, end to end (A-3, A-5, E-3, S-1).

    CRM_GATEWAY_RATE_LIMIT_USER_PER_MINUTE=100000000 CRM_GATEWAY_RATE_LIMIT_USER_BURST=100000 make up
    .venv/bin/python bench/assignment_bench.py [ids|filter ...]   # default: ids filter

Against the `make up` platform holding the 1,000,000 benchmark customers (`customers_bench.py load`).
Those were loaded by COPY, so no event told the assignment service about them. Set-up copies the
owner, unit and holder of 100,000 of them into its `customer_refs` (what `crm.customers` events
would have done), labels them `bench_assign` in the customers database (the label made by the admin when missing) (what the filter variant
selects), and the admin creates 20 sales reps `bench.ar.01…20` when missing. It also gives back
what an interrupted earlier run left with the reps.

Each variant (`ids`: the 100,000 ids in the body, ~4 MB; `filter`: `{"labels": ["bench_assign"]}`,
resolved by the assignment service's one call to the customers service) measures:
0. The floor, in the same run: one bare SQL `UPDATE` of the same 100,000 customers' owner columns
   (owner, unit, holder, version, updated_at — what applying the distribution writes) in the
   customers database, rolled back, with `VACUUM customers` before and after it (the floor and
   the distribution find the table alike). What the event path costs beyond it is its own cost.
1. `POST /api/v1/assignments` as admin, direct, round-robin over the 20 reps: request sent → 201.
2. From the same start until the customers service has applied every `assignment.direct` (all
   100,000 owned by the reps), and until the interactions service has written the 100,000
   `assigned` timeline lines of this run. Polled every 250 ms in the consumers' inboxes (their row
   commits with the change: `consumed`), then verified once in the data.
3. The recall of all 100,000: one `POST /api/v1/recalls {assignee_id}` per rep (20), which gives
   the customers back to their previous owners and so leaves the data as it was; timed until the
   customers service has applied them. `BENCH_RECALL=job`: seed 004's "Thu hồi" of the whole job
   instead, one `POST /api/v1/recalls {job_id}` (one transaction: nothing is applied before it
   commits, where the 20 posts let the customers service start after the first).
Each phase also reports the CPU seconds every process of the platform spent in it (`proc_cpu`):
on two shared cores the pipeline's wall time is mostly their sum.
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
from proc_cpu import delta, snap  # noqa: E402

GATEWAY = f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}"
PG = f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}"
ADMIN = (os.environ.get("CRM_ADMIN_USERNAME", "admin"), os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
LEADS, REPS = 100_000, 20
LABEL = "bench_assign"
RECALL = os.environ.get("BENCH_RECALL", "reps")  # reps: one POST /recalls {assignee_id} each; job: one {job_id}


async def reps(client: httpx.AsyncClient, admin: dict) -> list[str]:
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
    return [(await ensure_user(client, admin, f"bench.ar.{i:02d}", root, ["sales"]))["id"] for i in range(1, REPS + 1)]


async def label(client: httpx.AsyncClient, admin: dict) -> None:
    r = await client.post("/api/v1/customer-labels", headers=admin, json={"key": LABEL, "name": "Đo chia lead"})
    if r.status_code not in (201, 409):
        r.raise_for_status()


async def leads() -> list[str]:
    """100,000 live customers, labelled for the filter variant and made known to the assignment
    service (set-up, see the docstring)."""
    customers = await asyncpg.connect(f"{PG}/crm_customers")
    assignment = await asyncpg.connect(f"{PG}/crm_assignment")
    try:
        rows = await customers.fetch(
            "SELECT id, owner_id, owner_unit_path, holder_id, version FROM customers"
            " WHERE deleted_at IS NULL AND holder_id IS NULL ORDER BY id LIMIT $1", LEADS)
        ids = [r["id"] for r in rows]
        await customers.execute("UPDATE customers SET labels = labels || $2::text WHERE id = ANY($1::uuid[])"
                                " AND NOT labels @> ARRAY[$2::text]", ids, LABEL)
        await customers.execute("UPDATE customers SET labels = array_remove(labels, $2::text)"
                                " WHERE labels @> ARRAY[$2::text] AND NOT id = ANY($1::uuid[])", ids, LABEL)
        await assignment.execute("DELETE FROM customer_refs WHERE customer_id = ANY($1::uuid[])", ids)
        await assignment.copy_records_to_table(
            "customer_refs", columns=["customer_id", "owner_id", "owner_unit_path", "holder_id", "version"],
            records=[tuple(r) for r in rows])
        return [str(i) for i in ids]
    finally:
        await customers.close()
        await assignment.close()


async def vacuum() -> None:
    """Customers' dead row versions removed: a rolled-back UPDATE (the floor) or an earlier run
    leaves 100,000 of them in the same pages and indexes, and the next update of those rows pays
    for them (measured: the floor took 6.6-8.6 s right after an autovacuum, 29-45 s without)."""
    conn = await asyncpg.connect(f"{PG}/crm_customers")
    try:
        await conn.execute("VACUUM customers")
    finally:
        await conn.close()


async def floor(ids: list[str], rep_ids: list[str]) -> float:
    """One bare UPDATE of the 100,000 customers' owner columns (each to one of the reps), rolled
    back; the table vacuumed before and after, so the floor and the distribution find it alike."""
    await vacuum()
    conn = await asyncpg.connect(f"{PG}/crm_customers")
    try:
        tx = conn.transaction()
        await tx.start()
        started = time.perf_counter()
        await conn.execute(
            "UPDATE customers c SET owner_id = v.owner_id, owner_unit_id = NULL, owner_unit_path = '/bench/',"
            " holder_id = v.owner_id, version = c.version + 1, updated_at = now()"
            " FROM unnest($1::uuid[], $2::uuid[]) AS v(id, owner_id) WHERE c.id = v.id",
            ids, [rep_ids[i % len(rep_ids)] for i in range(len(ids))])
        seconds = time.perf_counter() - started
        await tx.rollback()
    finally:
        await conn.close()
    await vacuum()
    return seconds


async def wait_until(dsn: str, sql: str, args: list, expected: int, started: float, timeout: float = 900) -> float:
    conn = await asyncpg.connect(dsn)
    try:
        while time.perf_counter() - started < timeout:
            if await conn.fetchval(sql, *args) >= expected:
                return time.perf_counter() - started
            await asyncio.sleep(0.25)
        raise TimeoutError(sql)
    finally:
        await conn.close()


async def recall_reps(client: httpx.AsyncClient, admin: dict, rep_ids: list[str]) -> None:
    """Every lead the reps hold through open assignments, one POST /recalls {assignee_id} each."""
    for rep_id in rep_ids:
        (await client.post("/api/v1/recalls", headers=admin, json={"assignee_id": rep_id})).raise_for_status()


async def recall_job(client: httpx.AsyncClient, admin: dict, job_id: str) -> None:
    """Seed 004's "Thu hồi" of the whole job: one POST /recalls {job_id}."""
    (await client.post("/api/v1/recalls", headers=admin, json={"job_id": job_id})).raise_for_status()


async def fetchval(database: str, sql: str, *args: object) -> object:
    conn = await asyncpg.connect(f"{PG}/{database}")
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def published(database: str, event_type: str, since: object) -> int:
    """How many events of a type a service has written to its outbox since `since`."""
    return await fetchval(database, "SELECT count(*) FROM outbox WHERE event_type = $1 AND created_at >= $2",
                          event_type, since)


async def consumed(database: str, consumer: str, event_type: str, expected: int, since: object,
                   started: float) -> float:
    """Seconds from `started` until a consumer has applied `expected` events of a type since
    `since`: its inbox row commits with what the event changed. Polling the result itself cost
    the machine more than it measured: counting the reps' customers every 250 ms took ~46 ms of
    the customers database's CPU a poll, the timeline lines of 100,000 ids ~260 ms, ~2-2.5 CPU-s
    a phase on the two cores the pipeline runs on; the inbox count is a few ms."""
    return await wait_until(f"{PG}/{database}", "SELECT count(*) FROM inbox WHERE consumer = $1 AND event_type = $2"
                            " AND received_at >= $3", [consumer, event_type, since], expected, started)


async def check(database: str, sql: str, args: list, expected: int, what: str) -> None:
    """What the inboxes said, verified once in the data."""
    found = await fetchval(database, sql, *args)
    if found != expected:
        raise AssertionError(f"{what}: {found}, expected {expected}")


async def db_now() -> object:
    return await fetchval("crm_interactions", "SELECT now()")


async def run(client: httpx.AsyncClient, admin: dict, rep_ids: list[str], ids: list[str], variant: str) -> None:
    floor_seconds = await floor(ids, rep_ids)
    selection = {"customer_ids": ids} if variant == "ids" else {"filter": {"labels": [LABEL]}}
    since = await db_now()
    cpu_started = snap()
    started = time.perf_counter()
    r = await client.post("/api/v1/assignments", headers=admin, json={
        **selection, "text": "Chia lead chiến dịch", "direct": True, "strategy": "round_robin",
        "assignees": rep_ids, "job": {"content": "Đo chia 100.000 lead", "type": "benchmark"}})
    posted = time.perf_counter() - started
    r.raise_for_status()
    cpu_posted = snap()
    made = r.json()["assignments"]
    owned = await consumed("crm_customers", "crm-customers.assignment", "assignment.direct",
                           await published("crm_assignment", "assignment.direct", since), since, started)
    lines = await consumed("crm_interactions", "crm-interactions.customers", "customers.bulk_owner_changed",
                           await published("crm_customers", "customers.bulk_owner_changed", since), since, started)
    cpu_distributed = snap()
    await check("crm_customers", "SELECT count(*) FROM customers WHERE owner_id = ANY($1::uuid[])", [rep_ids],
                len(ids), "customers owned by the reps")
    await check("crm_interactions", "SELECT count(*) FROM timeline_entries WHERE type = 'assigned'"
                " AND occurred_at >= $2 AND data->>'reason' = 'assignment.direct' AND customer_id = ANY($1::uuid[])",
                [ids, since], len(ids), "assigned lines")
    report(f"distribution_100k_{variant}", cpu_answer=delta(cpu_started, cpu_posted),
           cpu_after_answer=delta(cpu_posted, cpu_distributed), leads=len(ids), reps=REPS, assignments=len(made),
           matched=r.json().get("matched"), post_seconds=round(posted, 2),
           customers_owned_seconds=round(owned, 2), owned_after_answer_seconds=round(owned - posted, 2),
           timeline_lines_seconds=round(lines, 2), floor_update_seconds=round(floor_seconds, 2),
           owned_after_answer_per_floor=round((owned - posted) / floor_seconds, 2))

    since = await db_now()
    cpu_started = snap()
    started = time.perf_counter()
    if RECALL == "job":
        await recall_job(client, admin, r.json()["job"]["id"])
    else:
        await recall_reps(client, admin, rep_ids)
    recalled_posts = time.perf_counter() - started
    back = await consumed("crm_customers", "crm-customers.assignment", "assignment.recalled",
                          await published("crm_assignment", "assignment.recalled", since), since, started)
    cpu_recalled = snap()
    await check("crm_customers", "SELECT count(*) FROM customers WHERE owner_id = ANY($1::uuid[])", [rep_ids], 0,
                "customers the reps still own")  # they own nothing but the run's leads (set-up)
    report(f"recall_100k_{variant}_by_{RECALL}", cpu=delta(cpu_started, cpu_recalled), leads=len(ids),
           recall_posts=1 if RECALL == "job" else REPS, recall_posts_seconds=round(recalled_posts, 2),
           customers_back_seconds=round(back, 2), customers_back_per_floor=round(back / floor_seconds, 2))


async def main(variants: list[str]) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=600) as client:
        admin = await login(client, *ADMIN)
        rep_ids = await reps(client, admin)
        await label(client, admin)
        await recall_reps(client, admin, rep_ids)  # what an interrupted earlier run left
        await wait_until(f"{PG}/crm_customers", "SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM customers"
                         " WHERE owner_id = ANY($1::uuid[]) OR holder_id = ANY($1::uuid[])", [rep_ids], 1,
                         time.perf_counter())
        ids = await leads()
        for variant in variants:
            await run(client, admin, rep_ids, ids, variant)
        print(json.dumps({"note": "owners restored by the recalls"}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or ["ids", "filter"]))
