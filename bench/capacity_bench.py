"""What each thing a sales rep does costs the whole platform, in CPU milliseconds (issue 14, "capacity").

    eval "$(deploy/local/crm-local env)"      # or a private stack's environment, rate limits raised
    .venv/bin/python bench/capacity_bench.py [read timeline list phone name call create]

Against a stack holding customers_bench.py's organisation and customers, after assignment_bench.py
(its 100,000 `bench_assign` customers are the ones the interactions service knows: the rest were
COPYed, so no event told it about them). Every action goes through the gateway as the admin. Reads
are driven by `wrk` (10 connections, SECS seconds), writes by 10 concurrent clients (WRITES of them);
then the bench waits until the platform is idle again (every event consumed: the CPU of a write
includes the outbox relay, the broker and every consumer it wakes). The CPU of every process of the
platform (bench/proc_cpu.py: gateway, services, their PostgreSQL backends, the broker), minus what the
same processes spend idle over as long (measured first), divided by the requests: what one more such
action costs, wherever it lands. docs/benchmarks.md turns it into reps per box ("Capacity").
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid

import asyncpg
import customers_bench as bench
import httpx
import proc_cpu

SECS = int(os.environ.get("SECS", "10"))
WRITES = int(os.environ.get("WRITES", "1000"))
IDLE_SECONDS = 5.0


def total(cpu: dict[str, float]) -> float:
    return sum(v for k, v in cpu.items() if k != "bench")  # the bench itself is the clients


async def settle(busy_above: float = 0.15) -> None:
    """Until the platform is idle: under `busy_above` CPU-s a second for two samples in a row."""
    quiet = 0
    while quiet < 2:
        before = proc_cpu.snap()
        await asyncio.sleep(1.0)
        quiet = quiet + 1 if total(proc_cpu.delta(before, proc_cpu.snap())) < busy_above else 0


async def idle_rate() -> float:
    await settle()
    before = proc_cpu.snap()
    await asyncio.sleep(IDLE_SECONDS)
    return total(proc_cpu.delta(before, proc_cpu.snap())) / IDLE_SECONDS


async def sample() -> tuple[list[uuid.UUID], list[str]]:
    conn = await asyncpg.connect(bench.DSN)
    try:
        ids = [r[0] for r in await conn.fetch(
            "SELECT id FROM customers WHERE labels @> ARRAY['bench_assign'] AND labels <> '{}' LIMIT 3000")]
        phones = [r[0] for r in await conn.fetch("SELECT phone FROM customers TABLESAMPLE SYSTEM (1) LIMIT 500")]
    finally:
        await conn.close()
    return ids, phones


async def writes(client: httpx.AsyncClient, token: str, requests: list[tuple[str, dict]]) -> int:
    """The posts, 10 at a time; how many wrote something (a made-up phone another customer already
    has answers 409: not counted)."""
    headers = {"Authorization": f"Bearer {token}"}
    queue, written = list(reversed(requests)), 0

    async def worker() -> None:
        nonlocal written
        while queue:
            path, body = queue.pop()
            r = await client.post(f"{bench.GATEWAY}{path}", json=body, headers=headers)
            if r.status_code != 409:
                r.raise_for_status()
                written += 1

    await asyncio.gather(*(worker() for _ in range(10)))
    return written


async def main(names: list[str]) -> None:
    ids, phones = await sample()
    run_tag = uuid.uuid4().hex[:6]
    reads = {
        "read": [f"/api/v1/customers/{i}" for i in ids],
        "timeline": [f"/api/v1/customers/{i}/timeline?limit=20" for i in ids],
        "list": ["/api/v1/customers?limit=20"],
        "phone": [f"/api/v1/customers?q={p[-6:]}&limit=20" for p in phones],
        "name": [f"/api/v1/customers?q={q.replace(' ', '+')}&limit=20" for q in bench.NAME_QUERIES],
    }
    posts = {
        "call": [(f"/api/v1/customers/{ids[k % len(ids)]}/calls",
                  {"direction": "out", "outcome": "reached", "duration_seconds": 95, "note": "Hẹn gọi lại tuần sau"})
                 for k in range(WRITES)],
        "create": [("/api/v1/customers", {"name": f"Khách Công Suất {run_tag} {k}",
                                          "phone": f"09{int(run_tag, 16) % 100:02d}{k:06d}"})
                   for k in range(WRITES)],
    }
    async with httpx.AsyncClient(timeout=60) as client:
        token = await bench.token(client, *bench.ADMIN)
        for name in names or [*reads, *posts]:
            idle = await idle_rate()
            before, started = proc_cpu.snap(), time.perf_counter()
            if name in reads:
                run = bench.wrk(bench.GATEWAY, reads[name], token, connections=10, seconds=SECS)
                count, rps = run["requests"], run["rps"]
            else:
                count = await writes(client, token, posts[name])
                rps = round(count / (time.perf_counter() - started), 1)
            await settle()
            elapsed = time.perf_counter() - started
            cpu = proc_cpu.delta(before, proc_cpu.snap())
            spent = total(cpu) - idle * elapsed
            print(json.dumps({"action": name, "requests": count, "rps": rps,
                              "platform_cpu_ms": round(spent * 1000 / count, 2),
                              "by_process_ms": {k: round(v * 1000 / count, 2) for k, v in sorted(cpu.items())
                                                if v * 1000 / count >= 0.05},
                              "idle_cpu_per_s": round(idle, 3), "load_average": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
