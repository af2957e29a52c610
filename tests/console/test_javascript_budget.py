"""The first screens' JavaScript stays within issue 10's budget: 300 KB gzipped for what a browser
downloads to show the sign-in form, and for a returning user's customer list (the session cookie kept,
nothing cached). Bytes, not time: the count is the same on every machine. How the budget is kept:
docs/console.md ("What the first screen downloads")."""
from __future__ import annotations

import httpx
from playwright.async_api import Page, Request

from e2e_support import GATEWAY, PASSWORD

BUDGET = 300 * 1024


class Scripts:
    """The JavaScript files a page requests."""

    def __init__(self, page: Page) -> None:
        self.paths: set[str] = set()
        page.on("request", self._seen)

    def _seen(self, request: Request) -> None:
        if request.resource_type == "script":
            self.paths.add(request.url.removeprefix(GATEWAY))

    async def gzip_bytes(self) -> int:
        """The bytes the gateway sends for these files to a client that accepts only gzip."""
        total = 0
        async with httpx.AsyncClient(base_url=GATEWAY) as client:
            for path in self.paths:
                response = await client.get(path, headers={"Accept-Encoding": "gzip"})
                assert response.status_code == 200, path
                total += int(response.headers["content-length"])  # files under 1 KB are sent as they are
        return total


async def test_the_sign_in_form_and_a_returning_users_list_fit_in_300_kb(browser, org, console_helpers):
    h = console_helpers
    context = await h.new_context(browser)
    page = await context.new_page()
    first_visit = Scripts(page)
    await page.goto("/")
    await h.expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    await page.wait_for_load_state("networkidle")
    sign_in = await first_visit.gzip_bytes()
    assert sign_in <= BUDGET, f"the sign-in form downloads {sign_in / 1024:.1f} KB of JavaScript (gzip)"

    await h.sign_in(page, org["rep"]["username"], PASSWORD, path="/customers")
    returning = await browser.new_context(base_url=GATEWAY, storage_state=await context.storage_state())
    await context.close()
    page = await returning.new_page()
    list_visit = Scripts(page)
    await page.goto("/customers")
    await h.expect(page.get_by_role("table", name="Khách hàng")).to_be_visible()
    await h.expect(page.get_by_test_id("customer-total")).not_to_be_empty()  # the first page arrived
    customer_list = await list_visit.gzip_bytes()
    await returning.close()
    assert customer_list <= BUDGET, f"the customer list downloads {customer_list / 1024:.1f} KB of JavaScript (gzip)"
    assert len(list_visit.paths) <= 12, sorted(list_visit.paths)  # a few large files, not sixty small ones
