"""Benchmarks of the customers issue, through the gateway against the running platform (`make up`).

    .venv/bin/python bench/customers_bench.py load        # 300 units, bench users, 1,000,000 customers
    .venv/bin/python bench/customers_bench.py all         # every measurement below, JSON lines on stdout
    .venv/bin/python bench/customers_bench.py byid search deep bulk bulk_status export

Load is generated with `wrk` (installed with apt-get when missing) from the same 2-core machine,
so client, gateway, service and PostgreSQL share the cores: numbers are a floor, not a ceiling.
Results go to stdout and to .local/bench/results.jsonl; docs/benchmarks.md explains them.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".local" / "bench"
GATEWAY = f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}"
SERVICE = f"http://127.0.0.1:{os.environ.get('CRM_CUSTOMERS_PORT', '8101')}"
DSN = os.environ.get("CRM_CUSTOMERS_DATABASE_URL",
                     f"postgresql://crm:crm@127.0.0.1:{os.environ.get('CRM_PG_PORT', '25432')}/crm_customers")
ADMIN = (os.environ.get("CRM_ADMIN_USERNAME", "admin"), os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
WRK_SCRIPT = ROOT / "bench" / "wrk" / "rotate.lua"
NAME_QUERIES = ["nguyen van an", "tran thi huong", "le minh", "pham thu trang", "hoang duc", "vu ngoc lan",
                "dang quoc", "bui thi mai", "do thanh", "ngo gia bao", "duong khanh", "ly hoai nam"]


def report(name: str, **values) -> None:
    line = json.dumps({"bench": name, **values}, ensure_ascii=False)
    print(line, flush=True)
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "results.jsonl", "a") as f:
        f.write(line + "\n")


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk")


def wrk(base: str, paths: list[str], token: str, *, connections: int, seconds: int = 20) -> dict:
    paths_file = STATE / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    env = {**os.environ, "WRK_PATHS": str(paths_file), "WRK_TOKEN": token}
    out = subprocess.run([ensure_wrk(), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                          str(WRK_SCRIPT), base], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(re.search(r"^JSON (.*)$", out, re.M).group(1))


async def token(client: httpx.AsyncClient, username: str, password: str) -> str:
    r = await client.post(f"{GATEWAY}/api/v1/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    return r.json()["access_token"]


def org() -> dict:
    return json.loads((STATE / "org.json").read_text())


async def load(count: int) -> None:
    STATE.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    with open(STATE / "org.json", "w") as f:
        subprocess.run([py, str(ROOT / "bench" / "bench_org.py"), "--gateway", GATEWAY], stdout=f, check=True)
    out = subprocess.run([py, str(ROOT / "bench" / "generate_customers.py"), "--org", str(STATE / "org.json"),
                          "--count", str(count), "--dsn", DSN], capture_output=True, text=True, check=True).stdout
    report("load", **json.loads(out.strip().splitlines()[-1]))
    conn = await asyncpg.connect(DSN)
    try:
        started = time.perf_counter()
        await conn.execute("VACUUM ANALYZE customers")
        await conn.execute("VACUUM ANALYZE customer_search")
        await conn.execute("VACUUM ANALYZE customer_names")
        report("vacuum_analyze", seconds=round(time.perf_counter() - started, 1))
    finally:
        await conn.close()


async def sample(sql: str, *args) -> list:
    conn = await asyncpg.connect(DSN)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def bench_by_id(client: httpx.AsyncClient) -> None:
    admin = await token(client, *ADMIN)
    ids = [r["id"] for r in await sample(
        "SELECT id FROM customers TABLESAMPLE SYSTEM (1) WHERE deleted_at IS NULL LIMIT 5000")]
    paths = [f"/api/v1/customers/{i}" for i in ids]
    for base, where in ((GATEWAY, "gateway"), (SERVICE, "service")):
        for connections in (20, 50):
            report("get_by_id", via=where, connections=connections, **wrk(base, paths, admin, connections=connections))


async def bench_search(client: httpx.AsyncClient) -> None:
    bench = org()
    phones = [r["phone"] for r in await sample(
        "SELECT phone FROM customers TABLESAMPLE SYSTEM (1) LIMIT 500")]
    suffixes = [p[-random.choice((4, 5, 6)):] for p in phones]
    for who, (username, password) in (("admin", ADMIN), ("manager", (bench["manager"]["username"], bench["password"]))):
        tok = await token(client, username, password)
        names = [f"/api/v1/customers?q={q.replace(' ', '+')}&limit=20" for q in NAME_QUERIES]
        report("search_name", caller=who, connections=20, **wrk(GATEWAY, names, tok, connections=20))
        digits = [f"/api/v1/customers?q={s}&limit=20" for s in suffixes]
        report("search_phone_suffix", caller=who, connections=20, **wrk(GATEWAY, digits, tok, connections=20))


async def bench_deep_pages(client: httpx.AsyncClient, pages: int = 10_000, limit: int = 50) -> None:
    tok = await token(client, *ADMIN)
    headers = {"Authorization": f"Bearer {tok}"}
    timings, cursor = [], None
    for _ in range(pages):
        started = time.perf_counter()
        r = await client.get(f"{GATEWAY}/api/v1/customers", params={"limit": limit, "sort": "-created_at",
                                                                    **({"cursor": cursor} if cursor else {})},
                             headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        r.raise_for_status()
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    first, last = statistics.median(timings[:50]), statistics.median(timings[-50:])
    report("deep_pages", pages=len(timings), limit=limit, first_50_median_ms=round(first, 2),
           last_50_median_ms=round(last, 2), ratio=round(last / first, 2))


def _rss_kib(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def bench_bulk(client: httpx.AsyncClient) -> None:
    """A label removed from and added to every customer of one benchmark branch (about a tenth of the
    table), twice: each add changes every customer of the branch (the remove before it took the label
    off the ones that had it)."""
    headers = {"Authorization": f"Bearer {await token(client, *ADMIN)}"}
    branch = org()["teams"][0]["path"].strip("/").split("/")[-2]
    for action in ("remove_labels", "add_labels") * 2:
        started = time.perf_counter()
        r = await client.post(f"{GATEWAY}/api/v1/customers/bulk", headers=headers, json={
            "action": action, "labels": ["premium"], "filter": {"owner_unit_id": branch}}, timeout=120)
        r.raise_for_status()
        report(f"bulk_{action}", seconds=round(time.perf_counter() - started, 2),
               **{k: r.json().get(k) for k in ("matched", "updated", "events")})


async def bench_bulk_status(client: httpx.AsyncClient) -> None:
    """The status of every customer of the same branch set twice through the API (two other
    statuses: each pass changes every one of them), then each customer's own status put back by
    SQL (not timed), so the status filters' benchmarks find the table as before."""
    headers = {"Authorization": f"Bearer {await token(client, *ADMIN)}"}
    branch = org()["teams"][0]["path"].strip("/").split("/")[-2]
    conn = await asyncpg.connect(DSN)
    try:
        await conn.execute("DROP TABLE IF EXISTS bench_saved_statuses")
        await conn.execute("CREATE TABLE bench_saved_statuses AS SELECT id, status FROM customers"
                           " WHERE owner_unit_path LIKE '%/' || $1 || '/%'", branch)
        for status in ("potential", "refused"):
            started = time.perf_counter()
            r = await client.post(f"{GATEWAY}/api/v1/customers/bulk", headers=headers, json={
                "action": "set_status", "status": status, "filter": {"owner_unit_id": branch}}, timeout=300)
            r.raise_for_status()
            report("bulk_set_status", status=status, seconds=round(time.perf_counter() - started, 2),
                   **{k: r.json().get(k) for k in ("matched", "updated", "events")})
        await conn.execute("UPDATE customers c SET status = s.status FROM bench_saved_statuses s WHERE c.id = s.id")
        await conn.execute("DROP TABLE bench_saved_statuses")
    finally:
        await conn.close()


async def bench_export(client: httpx.AsyncClient, fmt: str = "csv") -> None:
    """Export every customer; the customers process's RSS is sampled while the job runs."""
    headers = {"Authorization": f"Bearer {await token(client, *ADMIN)}"}
    pid = int((ROOT / ".local" / "dev" / "run" / "customers.pid").read_text())
    before = peak = _rss_kib(pid)
    started = time.perf_counter()
    r = await client.post(f"{GATEWAY}/api/v1/customers/exports", headers=headers, json={"format": fmt, "filter": {}})
    r.raise_for_status()
    job = r.json()
    while job["status"] in ("queued", "running"):
        await asyncio.sleep(0.2)
        peak = max(peak, _rss_kib(pid))
        job = (await client.get(f"{GATEWAY}/api/v1/customers/exports/{job['id']}", headers=headers)).json()
    report("export", format=fmt, status=job["status"], rows=job.get("row_count"),
           seconds=round(time.perf_counter() - started, 1), rss_before_mib=round(before / 1024),
           rss_peak_mib=round(peak / 1024))


STEPS = {"byid": bench_by_id, "search": bench_search, "deep": bench_deep_pages, "bulk": bench_bulk,
         "bulk_status": bench_bulk_status, "export": bench_export}


async def main(argv: list[str]) -> None:
    if argv[:1] == ["load"]:
        await load(int(argv[1]) if len(argv) > 1 else 1_000_000)
        return
    steps = list(STEPS) if argv in ([], ["all"]) else argv
    async with httpx.AsyncClient(timeout=120) as client:
        for step in steps:
            await STEPS[step](client)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
