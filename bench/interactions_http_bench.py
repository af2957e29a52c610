"""Benchmarks of the interactions issue (issue 4) through the gateway, against the running platform.

    CRM_GATEWAY_RATE_LIMIT_USER_PER_MINUTE=1000000 CRM_GATEWAY_RATE_LIMIT_USER_BURST=100000 make up
    .venv/bin/python bench/interactions_http_bench.py            # timeline + mention
    .venv/bin/python bench/interactions_http_bench.py timeline   # (a) only
    .venv/bin/python bench/interactions_http_bench.py mention    # (b) only
    .venv/bin/python bench/interactions_http_bench.py upload     # (c) only

(The raised per-user rate limit lets one user send a few thousand requests in a minute; with the
default 600/min the benchmark measures 429s.)

Set-up, through the gateway: two sales users `bench.tl.rep` and `bench.tl.rep2` (created by the
admin when missing) in the organisation's root unit; the rep creates a customer and shares it with
rep2 as a viewer.
(a) Timeline page: the customer's history is filled to 10,000 entries with COPY straight into the
    interactions database (filling history is set-up, not the measurement), then the rep reads the
    first page and a deep page (cursor ~9,000 entries back), 50 entries per page: 20 warm-up reads,
    then 300 timed sequential reads each with one keep-alive HTTP client, and a concurrent run with
    `wrk` (4 connections, 20 s) on the first page. Time = request sent → body received.
(b) Mention → SSE: rep2 keeps `GET /api/v1/notifications/stream` open; the rep posts 100 comments,
    one every 100 ms, each mentioning `@bench.tl.rep2`. Latency = from just before the POST is sent
    to the arrival of the SSE `notification` event naming that comment (so it includes the POST's
    own processing and commit). Target p95 ≤ 500 ms.
(c) Uploads through the gateway: 8 files of 19 MiB, 4 at a time, each generated chunk by chunk
    by the client (64 KiB) and streamed through the gateway to the interactions service's storage,
    then downloaded back through the gateway and compared by SHA-256. The resident memory (VmRSS)
    of the gateway and interactions processes is sampled every 50 ms during the run: it must stay
    flat (files are never held in memory); throughput in MiB/s of payload.

Results go to stdout as JSON lines and to .local/bench/results.jsonl.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_org import ensure_user, login  # noqa: E402
from interactions_bench import percentiles, report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GATEWAY = f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}"
DSN = os.environ.get("CRM_INTERACTIONS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_interactions")
ADMIN = (os.environ.get("CRM_ADMIN_USERNAME", "admin"), os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
PASSWORD = "Bench@12345"
ENTRIES, PAGE, READS, WARMUP = 10_000, 50, 300, 20
MENTIONS, MENTION_INTERVAL = 100, 0.1


async def users(client: httpx.AsyncClient) -> tuple[dict, dict]:
    admin = await login(client, *ADMIN)
    root = (await client.get("/api/v1/me", headers=admin)).json()["unit_id"]
    found = []
    for username in ("bench.tl.rep", "bench.tl.rep2"):
        user = await ensure_user(client, admin, username, root, ["sales"])
        found.append({"id": user["id"], "username": username, "headers": await login(client, username, PASSWORD)})
    return found[0], found[1]


async def shared_customer(client: httpx.AsyncClient, rep: dict, rep2: dict) -> str:
    phone = f"09{uuid.uuid4().int % 10**8:08d}"
    r = await client.post("/api/v1/customers", headers=rep["headers"],
                          json={"name": "Khách Đo Tốc Độ", "phone": phone})
    r.raise_for_status()
    customer_id = r.json()["id"]
    r = await client.post(f"/api/v1/customers/{customer_id}/viewers", headers=rep["headers"],
                          json={"user_id": rep2["id"]})
    r.raise_for_status()
    for _ in range(300):  # interactions learns the customer and the share from events
        seen = await client.get(f"/api/v1/customers/{customer_id}/timeline", headers=rep2["headers"])
        if seen.status_code == 200:
            return customer_id
        await asyncio.sleep(0.1)
    raise RuntimeError("interactions never learned about the customer")


async def fill_timeline(customer_id: str, actor_id: str) -> None:
    conn = await asyncpg.connect(DSN)
    try:
        have = await conn.fetchval("SELECT count(*) FROM timeline_entries WHERE customer_id = $1", uuid.UUID(customer_id))
        start = datetime.now(UTC) - timedelta(days=400)
        types = ["note", "call_out", "classified", "imported", "care", "comment"]
        await conn.copy_records_to_table(
            "timeline_entries", columns=["id", "customer_id", "type", "occurred_at", "actor_id", "note"],
            records=[(uuid.uuid4(), uuid.UUID(customer_id), types[i % len(types)], start + timedelta(minutes=i),
                      uuid.UUID(actor_id), f"ghi chú lịch sử số {i}") for i in range(ENTRIES - have)])
        await conn.execute("ANALYZE timeline_entries")
    finally:
        await conn.close()


async def timed_reads(client: httpx.AsyncClient, url: str, headers: dict, params: dict) -> list[float]:
    for _ in range(WARMUP):
        (await client.get(url, headers=headers, params=params)).raise_for_status()
    samples = []
    for _ in range(READS):
        t0 = time.perf_counter()
        r = await client.get(url, headers=headers, params=params)
        samples.append(time.perf_counter() - t0)
        assert r.status_code == 200 and len(r.json()["items"]) == PAGE, r.text[:200]
    return samples


def wrk_latency(url: str, headers: dict) -> dict:
    if shutil.which("wrk") is None:
        return {"wrk": "not installed (apt-get install wrk)"}
    header = next(iter(headers.items()))
    out = subprocess.run(["wrk", "-t2", "-c4", "-d20s", "--latency", "-H", f"{header[0]}: {header[1]}", url],
                         capture_output=True, text=True, check=True).stdout
    lines = {parts[0]: parts[1] for parts in (line.split() for line in out.splitlines()) if len(parts) == 2}
    summary = [line for line in out.splitlines() if "Requests/sec" in line or "Non-2xx" in line]
    return {"wrk_p50": lines.get("50%"), "wrk_p90": lines.get("90%"), "wrk_p99": lines.get("99%"),
            "wrk_summary": "; ".join(s.strip() for s in summary)}


async def bench_timeline(client: httpx.AsyncClient, rep: dict, customer_id: str) -> None:
    await fill_timeline(customer_id, rep["id"])
    url = f"/api/v1/customers/{customer_id}/timeline"
    cursor = None
    for _ in range(9_000 // PAGE):
        page = (await client.get(url, headers=rep["headers"], params={"limit": PAGE, **({"cursor": cursor} if cursor else {})})).json()
        cursor = page["next_cursor"]
    for label, params in (("gateway_timeline_first_page", {"limit": PAGE}),
                          ("gateway_timeline_deep_page", {"limit": PAGE, "cursor": cursor})):
        report(label, entries=ENTRIES, page_size=PAGE, path="client -> gateway -> interactions -> PostgreSQL",
               **percentiles(await timed_reads(client, url, rep["headers"], params)))
    report("gateway_timeline_first_page_wrk_c4", **wrk_latency(f"{GATEWAY}{url}?limit={PAGE}", rep["headers"]))


async def bench_mention(client: httpx.AsyncClient, rep: dict, rep2: dict, customer_id: str) -> None:
    sent: dict[str, float] = {}      # comment id -> just before its POST was sent
    arrived: dict[str, float] = {}   # comment id -> its notification came out of the stream
    post_seconds: list[float] = []
    opened = asyncio.Event()

    async def listen() -> None:
        async with httpx.AsyncClient(base_url=GATEWAY, timeout=None) as stream_client:
            async with stream_client.stream("GET", "/api/v1/notifications/stream", headers=rep2["headers"]) as r:
                r.raise_for_status()
                opened.set()
                async for line in r.aiter_lines():
                    if line.startswith("data: "):
                        comment_id = json.loads(line[6:]).get("data", {}).get("comment_id")
                        arrived.setdefault(comment_id, time.perf_counter())

    listener = asyncio.create_task(listen())
    await asyncio.wait_for(opened.wait(), 10)
    await asyncio.sleep(0.5)
    for i in range(MENTIONS):
        t0 = time.perf_counter()
        r = await client.post(f"/api/v1/customers/{customer_id}/comments", headers=rep["headers"],
                              json={"text": f"Đo độ trễ {i} @{rep2['username']} #bench"})
        post_seconds.append(time.perf_counter() - t0)
        r.raise_for_status()
        sent[r.json()["id"]] = t0
        await asyncio.sleep(MENTION_INTERVAL)
    deadline = time.perf_counter() + 30
    while not set(sent) <= set(arrived) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    listener.cancel()
    await asyncio.gather(listener, return_exceptions=True)
    latencies = [arrived[c] - t0 for c, t0 in sent.items() if c in arrived]
    report("gateway_mention_to_sse", comments=MENTIONS, delivered=len(latencies), interval_ms=MENTION_INTERVAL * 1000,
           post_p95_ms=percentiles(post_seconds)["p95_ms"], target_p95_ms=500, **percentiles(latencies))


UPLOAD_MIB, UPLOADS, UPLOAD_CONCURRENCY, CHUNK_BYTES = 19, 8, 4, 64 * 1024


def _rss_mib(service: str) -> float:
    pid = (ROOT / ".local" / "dev" / "run" / f"{service}.pid").read_text().strip()
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {service}")


async def bench_upload(client: httpx.AsyncClient, rep: dict, customer_id: str) -> None:
    import hashlib

    def content(seed: int):
        block = hashlib.sha256(str(seed).encode()).digest() * (CHUNK_BYTES // 32)

        async def chunks():
            for _ in range(UPLOAD_MIB * 1024 * 1024 // CHUNK_BYTES):
                yield block
        digest = hashlib.sha256(block * (UPLOAD_MIB * 1024 * 1024 // CHUNK_BYTES)).hexdigest()
        return chunks(), digest

    baseline = {s: _rss_mib(s) for s in ("gateway", "interactions")}
    peak = dict(baseline)
    sampling = True

    async def sample():
        while sampling:
            for s in peak:
                peak[s] = max(peak[s], _rss_mib(s))
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    gate = asyncio.Semaphore(UPLOAD_CONCURRENCY)

    async def one(i: int) -> None:
        async with gate:
            chunks, digest = content(i)
            r = await client.post(f"/api/v1/customers/{customer_id}/attachments", params={"filename": f"tep-{i}.bin"},
                                  content=chunks, headers={**rep["headers"], "Content-Type": "application/octet-stream"},
                                  timeout=300)
            r.raise_for_status()
            assert r.json()["sha256"] == digest, "stored bytes differ"
            sha = hashlib.sha256()
            async with client.stream("GET", f"/api/v1/attachments/{r.json()['id']}/content",
                                     headers=rep["headers"], timeout=300) as download:
                download.raise_for_status()
                async for part in download.aiter_bytes():
                    sha.update(part)
            assert sha.hexdigest() == digest, "downloaded bytes differ"

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(UPLOADS)))
    elapsed = time.perf_counter() - t0
    sampling = False
    await sampler
    report("gateway_upload_download", files=UPLOADS, file_mib=UPLOAD_MIB, concurrency=UPLOAD_CONCURRENCY,
           seconds=round(elapsed, 2), mib_per_second_each_way=round(UPLOADS * UPLOAD_MIB / elapsed, 1),
           **{f"{s}_rss_mib_before": round(baseline[s], 1) for s in baseline},
           **{f"{s}_rss_mib_peak": round(peak[s], 1) for s in peak})


async def main(which: list[str]) -> None:
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=60) as client:
        rep, rep2 = await users(client)
        customer_id = await shared_customer(client, rep, rep2)
        if "timeline" in which:
            await bench_timeline(client, rep, customer_id)
        if "mention" in which:
            await bench_mention(client, rep, rep2, customer_id)
        if "upload" in which:
            await bench_upload(client, rep, customer_id)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or ["timeline", "mention"]))
