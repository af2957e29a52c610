"""Soak (issue 15): a mixed load at a steady rate through the gateway for a long time, to see what
only time shows — a latency that creeps up, memory that grows, consumers that fall behind.

    eval "$(deploy/local/crm-local env)"
    .venv/bin/python bench/bench_org.py > .local/bench/org.json
    .venv/bin/python bench/soak.py --org .local/bench/org.json --minutes 30 --rate 20

The mix, per second at `--rate` operations (open loop: operations start on the clock whether or
not earlier ones have answered, so a slow platform shows as latency, not as a lower rate): of
every 10, 3 reads by id, 2 searches, 1 create, 1 status change with a note, 1 call, 1 note, 1
comment, on customers the run created itself. Each minute: operations, errors, p50/p95/p99 per
minute; every 30 s the private (anonymous) memory of every process of the stack (`$CRM_LOCAL_DIR/run/*.pid`;
PostgreSQL: the postmaster and all its backends). At the end the lag of every consumer group
(end offset − committed offset, summed over partitions), after a settling pause.

Reads as the report: p99 per minute stable (last 10 minutes against the first 10 after warm-up),
memory growth per process after warm-up (≤ 10%), 0 errors, lag 0 at the end."""
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import statistics
import time
import uuid
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

MIX = ["read"] * 3 + ["search"] * 2 + ["create", "status", "call", "note", "comment"]
WARM_UP_MINUTES = 2


def rss_of(pid: int) -> int:
    """Private memory of `pid` and its children (PostgreSQL's backends are the postmaster's), in kB:
    the anonymous pages' proportional set size (`Pss_Anon` of smaps_rollup) — heaps, where a leak
    shows. Not RSS: summed over PostgreSQL's backends it counts the shared buffers once per backend
    that touched them (+45% in 30 minutes as the buffer pool warmed); nor the whole PSS: a process's
    share of the libraries' pages grows when other processes on the machine that map them exit."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss_Anon:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def processes() -> dict[str, int]:
    local = Path(os.environ["CRM_LOCAL_DIR"])
    found = {f.stem: int(f.read_text()) for f in (local / "run").glob("*.pid")}
    postmaster = local / "pg" / "data" / "postmaster.pid"
    if postmaster.exists():
        found["postgresql"] = int(postmaster.read_text().split()[0])
    return found


class Soak:
    def __init__(self, client: httpx.AsyncClient, rep: dict) -> None:
        self.client, self.rep = client, rep
        self.customers: list[str] = []
        self.latencies: dict[int, list[float]] = collections.defaultdict(list)
        self.errors: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
        self.started = time.monotonic()

    def minute(self) -> int:
        return int((time.monotonic() - self.started) // 60)

    async def one(self, kind: str) -> None:
        if kind != "create" and not self.customers:
            kind = "create"
        customer = random.choice(self.customers) if self.customers else None
        base = f"/api/v1/customers/{customer}"
        key = {"Idempotency-Key": uuid.uuid4().hex}
        requests = {
            "read": lambda: self.client.get(base, headers=self.rep),
            "search": lambda: self.client.get("/api/v1/customers", params={"q": random.choice(
                ["nguyen van", "tran thi", "le minh", "pham", "0912"]), "limit": 20}, headers=self.rep),
            "create": lambda: self.client.post("/api/v1/customers", headers={**self.rep, **key}, json={
                "name": f"Khách Soak {uuid.uuid4().hex[:6]}", "phone": f"09{random.randrange(10**8):08d}"}),
            "status": lambda: self.client.post(f"{base}/status", headers={**self.rep, **key}, json={
                "status": random.choice(["contacted", "potential"]), "note": "soak"}),
            "call": lambda: self.client.post(f"{base}/calls", headers={**self.rep, **key}, json={
                "direction": "out", "outcome": "reached", "duration_seconds": 30}),
            "note": lambda: self.client.post(f"{base}/notes", headers={**self.rep, **key}, json={"text": "soak"}),
            "comment": lambda: self.client.post(f"{base}/comments", headers={**self.rep, **key},
                                                json={"text": "soak"}),
        }
        started, minute = time.monotonic(), self.minute()
        try:
            answer = await requests[kind]()
            failed = answer.status_code >= 500 or (answer.status_code >= 400 and answer.status_code != 422)
            if failed:
                self.errors[minute][f"{kind} {answer.status_code}"] += 1
            elif kind == "create" and answer.status_code == 201:
                self.customers.append(answer.json()["id"])
        except httpx.HTTPError as exc:
            self.errors[minute][f"{kind} {type(exc).__name__}"] += 1
        self.latencies[minute].append((time.monotonic() - started) * 1000)


async def keep_signed_in(client: httpx.AsyncClient, soak: Soak, pair: dict) -> None:
    """As a client does: a new token pair from the refresh token before the access token expires
    (15 minutes by default; a soak longer than that would otherwise measure 401s)."""
    while True:
        await asyncio.sleep(max(pair["expires_in"] - 60, 1))
        answer = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        answer.raise_for_status()
        pair = answer.json()
        soak.rep = {"Authorization": f"Bearer {pair['access_token']}"}


async def consumer_lag(bootstrap: str) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await admin.start()
    await probe.start()
    try:
        lag = {}
        for group, _ in await admin.list_consumer_groups():
            committed = await admin.list_consumer_group_offsets(group)
            ends = await probe.end_offsets(list(committed))
            lag[group] = sum(max(0, ends[tp] - meta.offset) for tp, meta in committed.items() if meta.offset >= 0)
        return lag
    finally:
        await probe.stop()
        await admin.close()


def percentile(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) >= 2 else 0.0


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--org", required=True)
    parser.add_argument("--gateway", default=f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=20, help="operations per second")
    parser.add_argument("--settle", type=float, default=30, help="seconds before reading the consumers' lag")
    args = parser.parse_args()
    org = json.loads(Path(args.org).read_text())
    async with httpx.AsyncClient(base_url=args.gateway, timeout=30,
                                 limits=httpx.Limits(max_connections=200)) as client:
        login = await client.post("/api/v1/auth/login", json={"username": org["rep"]["username"],
                                                               "password": org["password"]})
        login.raise_for_status()
        soak = Soak(client, {"Authorization": f"Bearer {login.json()['access_token']}"})
        renewal = asyncio.create_task(keep_signed_in(client, soak, login.json()))
        memory: list[tuple[float, dict[str, int]]] = []
        pending: set[asyncio.Task] = set()
        end, tick, next_sample = time.monotonic() + args.minutes * 60, 1 / args.rate, 0.0
        while (now := time.monotonic()) < end:
            task = asyncio.create_task(soak.one(random.choice(MIX)))
            pending.add(task)
            task.add_done_callback(pending.discard)
            if now >= next_sample:
                memory.append((round((now - soak.started) / 60, 1),
                               {name: rss_of(pid) for name, pid in processes().items()}))
                next_sample = now + 30
            await asyncio.sleep(tick)
        await asyncio.gather(*pending)
        renewal.cancel()
    await asyncio.sleep(args.settle)
    lag = await consumer_lag(f"127.0.0.1:{os.environ.get('CRM_KAFKA_PORT', '9092')}")
    minutes = [{"minute": m, "operations": len(v), "errors": dict(soak.errors[m]), "p50_ms": percentile(v, 50),
                "p95_ms": percentile(v, 95), "p99_ms": percentile(v, 99)} for m, v in sorted(soak.latencies.items())]
    warm = [rss for at, rss in memory if at >= WARM_UP_MINUTES]
    growth = {name: round(100 * (warm[-1].get(name, 0) - warm[0][name]) / warm[0][name], 1)
              for name in warm[0] if warm[0][name]} if len(warm) >= 2 else {}
    print(json.dumps({"rate_per_second": args.rate, "minutes": minutes, "errors": sum(
        sum(c.values()) for c in soak.errors.values()), "rss_kb": memory, "rss_growth_after_warm_up_percent": growth,
        "consumer_lag_at_end": lag, "customers_created": len(soak.customers)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
