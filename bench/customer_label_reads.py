"""What the lists that filter by label or status, or sort by `updated_at`, cost through the gateway
(issue 14: labels moved to `customer_label_links` and `customers_live_updated` dropped, migrations
0021-0022; `--shapes status`: the status filters, a rare status among them; `--shapes names`: the 12
names of customers_bench.py alone, each with whether the list fell back to similar words; `--shapes
typos`: the same names, the last two letters of the longest word swapped: `nguyen van an` → `nguyne van an`).

    source <stack env>; .venv/bin/python bench/customer_label_reads.py [--runs 7] [--shapes labels|status|names|typos]

The rare status (`bench_rare`) is made by the admin when missing and given to 100 customers (old and
spread: a table sample) in the customers database when fewer hold it.

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

import asyncpg
import httpx
from customers_bench import ADMIN, DSN, GATEWAY, NAME_QUERIES, org, report, token

RARE_STATUS = "bench_rare"
RARE_HOLDERS = 100


async def rare_status(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {await token(client, *ADMIN)}"}
    listed = await client.get(f"{GATEWAY}/api/v1/customer-statuses", headers=headers)  # a plain list
    listed.raise_for_status()
    if RARE_STATUS not in {status["key"] for status in listed.json()}:
        r = await client.post(f"{GATEWAY}/api/v1/customer-statuses", headers=headers,
                              json={"key": RARE_STATUS, "name": "Hiếm (benchmark)"})
        r.raise_for_status()
    conn = await asyncpg.connect(DSN)
    try:
        await conn.execute(
            "UPDATE customers SET status = $1 WHERE id IN (SELECT id FROM customers TABLESAMPLE SYSTEM (1)"
            " WHERE deleted_at IS NULL AND status <> $1 LIMIT greatest(0, $2 - (SELECT count(*) FROM customers WHERE status = $1)))",
            RARE_STATUS, RARE_HOLDERS)
    finally:
        await conn.close()

SHAPES = {
    "label_hot": {"labels": "hot"},
    "label_any_two": {"labels": ["hot", "cold"]},
    "labels_all_pair": {"labels_all": ["hot", "premium"]},
    "label_and_name": {"labels": "hot", "q": "nguyen van an"},
    "label_by_name": {"labels": "premium", "sort": "name"},
    "sort_updated": {"sort": "-updated_at"},
    "updated_since_sorted": {"sort": "-updated_at", "updated_from": "2026-11-01"},
}
STATUS_SHAPES = {
    "status_common": {"status": "contacted"},
    "status_any_two": {"status": ["refused", "wrong_number"]},
    "status_rare": {"status": RARE_STATUS},
    "status_rare_counted": {"status": RARE_STATUS, "with_count": "true"},
    "status_and_name": {"status": "potential", "q": "nguyen van an"},
    "status_by_name": {"status": "contract_closed", "sort": "name"},
}
NAME_SHAPES = {q: {"q": q} for q in NAME_QUERIES}


def with_typo(q: str) -> str:
    longest = max(q.split(), key=len)
    return q.replace(longest, longest[:-2] + longest[-1] + longest[-2], 1)


TYPO_SHAPES = {with_typo(q): {"q": with_typo(q)} for q in NAME_QUERIES}


async def median_ms(client: httpx.AsyncClient, path: str, params: dict, headers: dict, runs: int
                    ) -> tuple[float, httpx.Response]:
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        r = await client.get(f"{GATEWAY}{path}", params=params, headers=headers)
        r.raise_for_status()
        if i:
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), r


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--shapes", choices=["labels", "status", "names", "typos"], default="labels")
    args = parser.parse_args()
    shapes = {"labels": SHAPES, "status": STATUS_SHAPES, "names": NAME_SHAPES, "typos": TYPO_SHAPES}[args.shapes]
    bench = org()
    async with httpx.AsyncClient(timeout=120) as client:
        if args.shapes == "status":
            await rare_status(client)
        users = {"admin": ADMIN, "manager": (bench["manager"]["username"], bench["password"]),
                 "rep": (bench["rep"]["username"], bench["password"])}
        for who, credentials in users.items():
            headers = {"Authorization": f"Bearer {await token(client, *credentials)}"}
            page = (await client.get(f"{GATEWAY}/api/v1/customers", params={"limit": 1}, headers=headers)).json()
            byid, _ = await median_ms(client, f"/api/v1/customers/{page['items'][0]['id']}", {}, headers, args.runs)
            for shape, params in shapes.items():
                ms, r = await median_ms(client, "/api/v1/customers", {**params, "limit": 20}, headers, args.runs)
                report(f"{args.shapes}_reads", user=who, shape=shape, median_ms=ms, byid_ms=byid,
                       per_byid=round(ms / byid, 1), items=len(r.json()["items"]), fuzzy=bool(r.json().get("fuzzy")))


if __name__ == "__main__":
    asyncio.run(main())
