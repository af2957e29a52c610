"""What the lists that filter by label, or sort by `updated_at`, cost through the gateway (issue 14:
labels moved to `customer_label_links` and `customers_live_updated` dropped, migrations 0021-0022).

    source <stack env>; .venv/bin/python bench/customer_label_reads.py [--runs 7]

Each shape is requested by the admin, the benchmark branch manager and the benchmark rep (one
warm-up, then the median of `--runs` sequential requests, first page of 20), beside the read by id
measured the same way in the same run: the ratio is the figure to compare across machines. Results
and the schema decision: docs/benchmarks.md, "Labels in their own table".
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx
from customers_bench import ADMIN, GATEWAY, org, report, token

SHAPES = {
    "label_hot": {"labels": "hot"},
    "label_any_two": {"labels": ["hot", "cold"]},
    "labels_all_pair": {"labels_all": ["hot", "premium"]},
    "label_and_name": {"labels": "hot", "q": "nguyen van an"},
    "label_by_name": {"labels": "premium", "sort": "name"},
    "sort_updated": {"sort": "-updated_at"},
    "updated_since_sorted": {"sort": "-updated_at", "updated_from": "2026-11-01"},
}


async def median_ms(client: httpx.AsyncClient, path: str, params: dict, headers: dict, runs: int) -> float:
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        r = await client.get(f"{GATEWAY}{path}", params=params, headers=headers)
        r.raise_for_status()
        if i:
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bench = org()
    async with httpx.AsyncClient(timeout=120) as client:
        users = {"admin": ADMIN, "manager": (bench["manager"]["username"], bench["password"]),
                 "rep": (bench["rep"]["username"], bench["password"])}
        for who, credentials in users.items():
            headers = {"Authorization": f"Bearer {await token(client, *credentials)}"}
            page = (await client.get(f"{GATEWAY}/api/v1/customers", params={"limit": 1}, headers=headers)).json()
            byid = await median_ms(client, f"/api/v1/customers/{page['items'][0]['id']}", {}, headers, args.runs)
            for shape, params in SHAPES.items():
                ms = await median_ms(client, "/api/v1/customers", {**params, "limit": 20}, headers, args.runs)
                report("label_reads", user=who, shape=shape, median_ms=ms, byid_ms=byid, per_byid=round(ms / byid, 1))


if __name__ == "__main__":
    asyncio.run(main())
