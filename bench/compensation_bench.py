"""Benchmarks of the compensation issue (issue 12) through the gateway, against the running platform.

    CRM_GATEWAY_RATE_LIMIT_USER_PER_MINUTE=1000000 CRM_GATEWAY_RATE_LIMIT_USER_BURST=100000 make up
    .venv/bin/python bench/compensation_bench.py            # all three
    .venv/bin/python bench/compensation_bench.py create     # (a) only; also: submit, queue

Set-up: the admin creates `bench.cp.rep` (sales) and `bench.cp.reviewer` (reviewer) in the root unit
when missing. What the service learns from other services' events — customers (`customer_refs`) and
their calls (`calls`) — is written straight into its database with COPY (filling history is set-up,
not the measurement); packages, leads and requests go through the API unless said otherwise.
(a) Eligibility check + create: one lead whose timeline holds 10,000 calls; the rep creates a
    request (`POST /compensation-requests`, the calls counted since delivery), then withdraws it
    (untimed) so that the next create is checked again: 20 warm-up, 300 timed. Reference in the
    same run: `GET /lead-packages/{id}` (a read by id with its counters) and `GET /compensation-
    requests/{id}`, 300 each. Target p95 ≤ 30 ms.
(b) Submitting a package of 1,000 drafts: 1,000 leads and drafts made through the API, then the two
    confirmations timed apart (`review-submission`, `POST /compensation-batches`). Target ≤ 2 s.
(c) The reviewer's queue with 100,000 submitted requests (1,000 batches of 100 in 100 packages,
    inserted by SQL once): first page of `GET /compensation-batches?status=submitted` and of
    `GET /compensation-requests?status=submitted`, 300 each. Target p95 ≤ 30 ms.

Results go to stdout as JSON lines and to .local/bench/results.jsonl.
"""
from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import PASSWORD, ensure_user, login  # noqa: E402
from interactions_bench import percentiles, report  # noqa: E402

GATEWAY = f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}"
DSN = os.environ.get("CRM_COMPENSATION_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_compensation")
ADMIN = (os.environ.get("CRM_ADMIN_USERNAME", "admin"), os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
CALLS, READS, WARMUP, DRAFTS = 10_000, 300, 20, 1_000
QUEUE_REQUESTS, QUEUE_BATCH, QUEUE_PACKAGES = 100_000, 100, 100
POLICY = {"reasons": ["wrong_number", "unreachable", "duplicate"], "window_days": 3650, "max_share": 1,
          "min_call_attempts": 3}


async def users(client: httpx.AsyncClient) -> tuple[dict, dict, dict]:
    admin = await login(client, *ADMIN)
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
    signed = []
    for name, role in (("bench.cp.rep", "sales"), ("bench.cp.reviewer", "reviewer")):
        user = await ensure_user(client, admin, name, root, [role])
        signed.append({**user, "headers": await login(client, name, PASSWORD)})
    return admin, signed[0], signed[1]


async def known_customers(conn: asyncpg.Connection, owner: dict, count: int) -> list[uuid.UUID]:
    """`count` customers of `owner` as the customers service's events would have told the service."""
    ids = [uuid.uuid4() for _ in range(count)]
    await conn.copy_records_to_table(
        "customer_refs", columns=["customer_id", "owner_id", "owner_unit_path", "full_name", "phone", "version"],
        records=[(i, uuid.UUID(owner["id"]), owner.get("unit_path"), f"Khách bench {n}", f"+8490{n:07d}", 1)
                 for n, i in enumerate(ids)])
    return ids


async def new_package(client: httpx.AsyncClient, admin: dict, owner: dict, name: str) -> dict:
    r = await client.post("/api/v1/lead-packages", headers=admin, json={
        "name": name, "provider": "bench-cp", "owner_id": owner["id"],
        "purchased_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(), "policy": POLICY})
    r.raise_for_status()
    return r.json()


async def add_leads(client: httpx.AsyncClient, admin: dict, package_id: str, ids: list[uuid.UUID]) -> None:
    r = await client.post(f"/api/v1/lead-packages/{package_id}/leads", headers=admin, json={
        "customer_ids": [str(i) for i in ids], "delivered_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()})
    r.raise_for_status()
    assert r.json()["added"] == len(ids), r.text


async def timed(client: httpx.AsyncClient, method: str, url: str, headers: dict, **kw) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    r = await client.request(method, url, headers=headers, **kw)
    return time.perf_counter() - t0, r


async def bench_create(client: httpx.AsyncClient, conn: asyncpg.Connection, admin: dict, rep: dict) -> None:
    (lead,) = await known_customers(conn, rep, 1)
    package = await new_package(client, admin, rep, f"bench create {uuid.uuid4().hex[:6]}")
    await add_leads(client, admin, package["id"], [lead])
    now = datetime.now(UTC)
    await conn.copy_records_to_table("calls", columns=["id", "customer_id", "direction", "outcome", "occurred_at"],
                                     records=[(uuid.uuid4(), lead, "out", ("wrong_number", "no_answer")[n % 2],
                                               now - timedelta(seconds=n)) for n in range(CALLS)])
    body = {"customer_id": str(lead), "package_id": package["id"], "reason_code": "wrong_number",
            "reason_text": "Sai số"}
    samples, request_id = [], None
    for n in range(WARMUP + READS):
        took, r = await timed(client, "POST", "/api/v1/compensation-requests", rep["headers"], json=body)
        assert r.status_code == 201, r.text
        assert r.json()["evidence"]["call_attempts"] >= CALLS // 2, r.text[:300]
        request_id = r.json()["id"]
        if n >= WARMUP:
            samples.append(took)
        if n < WARMUP + READS - 1:
            (await client.delete(f"/api/v1/compensation-requests/{request_id}", headers=rep["headers"])).raise_for_status()
    report("compensation_create_with_10k_calls", calls=CALLS, path="client -> gateway -> compensation -> PostgreSQL",
           **percentiles(samples))
    for label, url in (("reference_read_package_by_id", f"/api/v1/lead-packages/{package['id']}"),
                       ("reference_read_request_by_id", f"/api/v1/compensation-requests/{request_id}")):
        reads = []
        for n in range(WARMUP + READS):
            took, r = await timed(client, "GET", url, rep["headers"])
            r.raise_for_status()
            if n >= WARMUP:
                reads.append(took)
        report(label, **percentiles(reads))


async def bench_submit(client: httpx.AsyncClient, conn: asyncpg.Connection, admin: dict, rep: dict) -> None:
    leads = await known_customers(conn, rep, DRAFTS)
    package = await new_package(client, admin, rep, f"bench submit {uuid.uuid4().hex[:6]}")
    await add_leads(client, admin, package["id"], leads)
    for lead in leads:
        r = await client.post("/api/v1/compensation-requests", headers=rep["headers"], json={
            "customer_id": str(lead), "package_id": package["id"], "reason_code": "duplicate", "reason_text": "Trùng"})
        assert r.status_code == 201, r.text
    preview_s, preview = await timed(client, "POST", f"/api/v1/lead-packages/{package['id']}/review-submission",
                                     rep["headers"])
    assert preview.status_code == 200 and preview.json()["count"] == DRAFTS, preview.text[:300]
    submit_s, batch = await timed(client, "POST", "/api/v1/compensation-batches", rep["headers"], json={
        "package_id": package["id"], "confirmation_token": preview.json()["confirmation_token"]})
    assert batch.status_code == 201, batch.text[:300]
    report("compensation_submit_1000_drafts", drafts=DRAFTS, review_submission_s=round(preview_s, 3),
           batch_s=round(submit_s, 3), total_s=round(preview_s + submit_s, 3))


async def fill_queue(conn: asyncpg.Connection, rep: dict) -> None:
    """100,000 submitted requests in 1,000 batches, once (kept for later runs)."""
    if await conn.fetchval("SELECT count(*) FROM lead_packages WHERE provider = 'bench-cp-queue'") >= QUEUE_PACKAGES:
        return
    owner, path = uuid.UUID(rep["id"]), rep.get("unit_path") or "/"
    async with conn.transaction():
        await conn.execute(
            "INSERT INTO lead_packages (id, name, provider, owner_id, owner_unit_path, purchased_at, reasons,"
            " window_days, max_share, min_call_attempts, created_by)"
            " SELECT gen_random_uuid(), 'queue ' || n, 'bench-cp-queue', $1, $2, now() - interval '30 days',"
            " ARRAY['duplicate'], 3650, 1, 0, $1 FROM generate_series(1, $3) n", owner, path, QUEUE_PACKAGES)
        await conn.execute(
            "INSERT INTO customer_refs (customer_id, owner_id, owner_unit_path, full_name, phone, version)"
            " SELECT gen_random_uuid(), $1, $2, 'Khách hàng đợi duyệt ' || n, '+8491' || lpad(n::text, 7, '0'), 1"
            " FROM generate_series(1, $3) n", owner, path, QUEUE_REQUESTS)
        await conn.execute(
            "CREATE TEMP TABLE queue_leads ON COMMIT DROP AS"
            " SELECT r.customer_id, p.id AS package_id,"
            "   (row_number() OVER (PARTITION BY p.id ORDER BY r.customer_id) - 1) / $2 AS batch_no"
            " FROM (SELECT customer_id, row_number() OVER () AS k FROM customer_refs"
            "       WHERE full_name LIKE 'Khách hàng đợi duyệt %') r"
            " JOIN (SELECT id, row_number() OVER () AS k FROM lead_packages WHERE provider = 'bench-cp-queue') p"
            "   ON p.k = (r.k % $1) + 1", QUEUE_PACKAGES, QUEUE_BATCH)
        await conn.execute(
            "CREATE TEMP TABLE queue_batches ON COMMIT DROP AS"
            " SELECT gen_random_uuid() AS id, package_id, batch_no FROM queue_leads GROUP BY package_id, batch_no")
        await conn.execute(
            "INSERT INTO package_leads (package_id, customer_id, delivered_at)"
            " SELECT package_id, customer_id, now() - interval '20 days' FROM queue_leads")
        await conn.execute(
            "INSERT INTO batches (id, package_id, status, submitted_by, submitted_at, requests)"
            " SELECT id, package_id, 'submitted', $1, now() - (row_number() OVER () || ' minutes')::interval, $2"
            " FROM queue_batches", owner, QUEUE_BATCH)
        await conn.execute(
            "INSERT INTO requests (id, package_id, customer_id, requester_id, reason_code, reason_text, status,"
            " evidence, batch_id)"
            " SELECT gen_random_uuid(), q.package_id, q.customer_id, $1, 'duplicate', 'Trùng', 'submitted',"
            "   jsonb_build_object('customer', jsonb_build_object('full_name', c.full_name, 'phone', c.phone),"
            "     'delivered_at', to_json(now() - interval '20 days'), 'deadline', to_json(now() + interval '3630 days'),"
            "     'call_attempts', 0, 'calls_by_outcome', '{}'::jsonb, 'last_call_at', null), b.id"
            " FROM queue_leads q JOIN queue_batches b USING (package_id, batch_no)"
            " JOIN customer_refs c USING (customer_id)", owner)
        await conn.execute("ANALYZE")


async def bench_queue(client: httpx.AsyncClient, conn: asyncpg.Connection, rep: dict, reviewer: dict) -> None:
    await fill_queue(conn, rep)
    submitted = await conn.fetchval("SELECT count(*) FROM requests WHERE status = 'submitted'")
    for label, url, params in (("reviewer_queue_batches_first_page", "/api/v1/compensation-batches",
                                {"status": "submitted"}),
                               ("reviewer_requests_first_page", "/api/v1/compensation-requests",
                                {"status": "submitted"})):
        samples = []
        for n in range(WARMUP + READS):
            took, r = await timed(client, "GET", url, reviewer["headers"], params=params)
            assert r.status_code == 200 and r.json()["items"], r.text[:300]
            if n >= WARMUP:
                samples.append(took)
        report(label, submitted_requests=submitted, **percentiles(samples))


async def main(which: list[str]) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=60) as client:
        admin, rep, reviewer = await users(client)
        conn = await asyncpg.connect(DSN)
        try:
            rep["unit_path"] = await conn.fetchval("SELECT unit_path FROM directory_users WHERE id = $1",
                                                   uuid.UUID(rep["id"]))
            if "create" in which:
                await bench_create(client, conn, admin, rep)
            if "submit" in which:
                await bench_submit(client, conn, admin, rep)
            if "queue" in which:
                await bench_queue(client, conn, rep, reviewer)
        finally:
            await conn.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or ["create", "submit", "queue"]))
