"""The web console's speed in Chromium (issue 10), through the gateway of a running platform.

    .venv/bin/python bench/customers_bench.py load     # once: 1,000,000 customers (bench org)
    .venv/bin/python bench/console_bench.py            # JSON lines on stdout and .local/bench/results.jsonl

Measured, each beside its reference in the same run (machines differ by 2x):
- initial JavaScript: what the browser downloads (brotli, as served) for the first screen — the
  sign-in form, and the customer list of a signed-in user — and the gzip size of the same files
  (the issue's budget is 300 KB gzipped);
- the customer list's first paint with data: from navigation start to the first row on screen,
  for the admin (all 1M customers) and a branch manager, with the assets cached (a returning user)
  and not; the reference is the bare API call the page makes (GET /customers?limit=50), timed
  from the same machine in the same run.
"""
from __future__ import annotations

import asyncio
import gzip
import json
import os
import statistics
import time
from pathlib import Path

import httpx
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".local" / "bench"
GATEWAY = f"http://127.0.0.1:{os.environ.get('CRM_GATEWAY_PORT', '8000')}"
DIST = Path(os.environ.get("CRM_GATEWAY_WEB_DIR", ROOT / "web" / "dist"))
ADMIN = (os.environ.get("CRM_ADMIN_USERNAME", "admin"), os.environ.get("CRM_ADMIN_PASSWORD", "admin12345"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUNS = int(os.environ.get("CRM_BENCH_RUNS", "10"))


def report(name: str, **values) -> None:
    line = json.dumps({"bench": name, **values}, ensure_ascii=False)
    print(line, flush=True)
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "results.jsonl", "a") as f:
        f.write(line + "\n")


def gzip_size(name: str) -> int:
    path = DIST / "assets" / name
    twin = path.with_name(name + ".gz")
    return twin.stat().st_size if twin.exists() else len(gzip.compress(path.read_bytes(), 9))


class Downloads:
    """The JavaScript files a page downloads, with the bytes on the wire."""

    def __init__(self, page) -> None:
        self.files: dict[str, int] = {}
        page.on("requestfinished", lambda request: asyncio.ensure_future(self._count(request)))

    async def _count(self, request) -> None:
        if request.resource_type == "script":
            sizes = await request.sizes()
            self.files[request.url.rsplit("/", 1)[-1]] = sizes["responseBodySize"]

    def summary(self) -> dict:
        return {"files": len(self.files), "brotli_kb": round(sum(self.files.values()) / 1024, 1),
                "gzip_kb": round(sum(gzip_size(name) for name in self.files) / 1024, 1)}


async def sign_in(page, username: str, password: str) -> None:
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.get_by_role("button", name="Đăng xuất").wait_for()


async def initial_javascript(browser) -> None:
    context = await browser.new_context(base_url=GATEWAY)
    page = await context.new_page()
    downloads = Downloads(page)
    await page.goto("/", wait_until="networkidle")
    report("console_initial_js", screen="sign-in", **downloads.summary())
    await sign_in(page, *ADMIN)
    await page.get_by_role("row").nth(1).wait_for()
    await page.wait_for_load_state("networkidle")
    report("console_initial_js", screen="sign-in + customer list", **downloads.summary())
    # a returning user (the session cookie kept) opening the list with an empty cache
    returning = await browser.new_context(base_url=GATEWAY, storage_state=await context.storage_state())
    await context.close()
    page = await returning.new_page()
    downloads = Downloads(page)
    await page.goto("/customers")
    await page.get_by_role("row").nth(1).wait_for()
    await asyncio.sleep(2)  # what loads after the rows (the notification stream never idles the network)
    report("console_initial_js", screen="customer list, returning user", **downloads.summary())
    await returning.close()


async def first_paint_with_data(browser, who: str, username: str, password: str, *, cached: bool) -> list[float]:
    """Milliseconds from navigation start to the first customer row, per run."""
    context = await browser.new_context(base_url=GATEWAY)
    page = await context.new_page()
    await page.goto("/")
    await sign_in(page, username, password)  # the session cookie: later loads restore it
    times = []
    for _ in range(RUNS):
        if not cached:
            cdp = await context.new_cdp_session(page)
            await cdp.send("Network.clearBrowserCache")
        await page.goto("/customers", wait_until="commit")
        await page.locator("tbody tr.ant-table-row").first.wait_for()
        times.append(await page.evaluate("performance.now()"))
    await context.close()
    report("console_list_first_paint", caller=who, cached=cached, runs=RUNS,
           median_ms=round(statistics.median(times)), p90_ms=round(sorted(times)[int(0.9 * (len(times) - 1))]))
    return times


async def api_reference(username: str, password: str, who: str) -> None:
    """The list's own API call, alone: what the page cannot be faster than."""
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=30) as client:
        login = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = await client.get("/api/v1/customers", params={"limit": 50}, headers=headers)
            response.raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    report("console_list_api_reference", caller=who, runs=RUNS, median_ms=round(statistics.median(times)),
           total=response.json().get("total"))


async def main() -> None:
    callers = [("admin", *ADMIN)]
    org_file = STATE / "org.json"
    if org_file.exists():
        bench = json.loads(org_file.read_text())
        callers.append(("manager", bench["manager"]["username"], bench["password"]))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=os.environ.get("CRM_CHROMIUM", "/usr/bin/chromium"),
                                                   args=CHROMIUM_ARGS)
        await initial_javascript(browser)
        for who, username, password in callers:
            await api_reference(username, password, who)
            for cached in (True, False):
                await first_paint_with_data(browser, who, username, password, cached=cached)
        await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
