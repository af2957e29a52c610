"""Throughput of the event path with one and two worker processes (issue 15, S-2): how fast the
interactions service applies a backlog of `customer.created` events (outbox → Kafka → consumer →
its inbox and timeline) with one process, then with a second worker replica beside it
(`CRM_WORKER_REPLICAS=1`, deploy/local/crm-local).

    source <a stack's env with CRM_WORKER_REPLICAS=1>; deploy/local/crm-local up
    .venv/bin/python bench/event_path_bench.py --events 3000 --rounds 2

Each round and variant: stop every interactions process, create `--events` customers through the
gateway (their events wait in Kafka), start the variant's processes, and time from the first to
the last of those events applied (their `created` timeline lines), so that the processes'
start-up and the group's join are not counted. Printed: events/s per variant and round, and the
ratio two/one measured in the same round."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

CRM_LOCAL = Path(__file__).resolve().parents[1] / "deploy" / "local" / "crm-local"


def stop_interactions() -> None:
    run = Path(os.environ["CRM_LOCAL_DIR"]) / "run"
    pids = [int(p.read_text()) for p in run.glob("interactions*.pid")]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # left over from a stop
            os.kill(pid, signal.SIGTERM)
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.2)


def start(replicas: int) -> None:
    subprocess.run([str(CRM_LOCAL), "services-start"], check=True, capture_output=True,
                   env={**os.environ, "CRM_WORKER_REPLICAS": str(replicas)})


async def backlog(client: httpx.AsyncClient, headers: dict, count: int) -> list[str]:
    ids: list[str] = []
    semaphore = asyncio.Semaphore(20)

    async def one() -> None:
        async with semaphore:
            r = await client.post("/api/v1/customers", headers=headers, json={
                "name": f"Khách Sự Kiện {uuid.uuid4().hex[:6]}", "phone": f"09{random.randrange(10**8):08d}"})
            if r.status_code == 201:
                ids.append(r.json()["id"])
    await asyncio.gather(*(one() for _ in range(count)))
    return ids


async def applied_span(dsn: str, ids: list[str], timeout: float = 600) -> float:
    """Seconds between the first and the last of these customers' `created` timeline lines (each
    written by the consumer's transaction of its event: `created_at` is that transaction's start)."""
    conn = await asyncpg.connect(dsn)
    try:
        deadline, n = time.monotonic() + timeout, 0
        while time.monotonic() < deadline:
            n, span = await conn.fetchrow(
                "SELECT count(*), extract(epoch FROM max(created_at) - min(created_at))"
                " FROM timeline_entries WHERE customer_id = ANY($1::uuid[]) AND type = 'created'", ids)
            if n >= len(ids):
                return float(span)
            await asyncio.sleep(0.5)
        raise TimeoutError(f"only {n} of {len(ids)} applied")
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    gateway = f"http://127.0.0.1:{os.environ['CRM_GATEWAY_PORT']}"
    dsn = f"postgresql://crm:crm@127.0.0.1:{os.environ['CRM_PG_PORT']}/crm_interactions"
    results = []
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        login = await client.post("/api/v1/auth/login", json={
            "username": "admin", "password": os.environ.get("CRM_ADMIN_PASSWORD", "admin12345")})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        for round_ in range(args.rounds):
            for replicas in (0, 1):
                stop_interactions()
                ids = await backlog(client, headers, args.events)
                start(replicas)
                span = await applied_span(dsn, ids)
                results.append({"round": round_ + 1, "processes": replicas + 1, "events": len(ids),
                                "seconds": round(span, 2), "events_per_second": round(len(ids) / span, 1),
                                "load": os.getloadavg()[0]})
                print(json.dumps(results[-1]), flush=True)
    start(1)


if __name__ == "__main__":
    asyncio.run(main())
