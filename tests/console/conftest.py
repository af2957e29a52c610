"""Fixtures of the console's browser tests: Debian's Chromium driven by Playwright (headless, no
browser download), a page per user signed in through the login form, axe-core for accessibility,
and a screenshot of each main screen kept under CRM_TEST_ARTIFACTS (default .local/test/artifacts)."""
from __future__ import annotations

import itertools
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect

from e2e_support import ADMIN_PASSWORD, ADMIN_USERNAME, GATEWAY, PASSWORD, bearer, login, make_org

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("CRM_TEST_ARTIFACTS", ROOT / ".local" / "test" / "artifacts")) / "console"
# as the machine notes advise: no sandbox as root, and nothing that phones Google from a closed network
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

expect.set_options(timeout=15_000)
EVENT_LOG = """
for (const type of ['pointerdown', 'mousedown', 'mouseup', 'click', 'keydown']) {
  window.addEventListener(type, (e) => {
    const target = e.target?.outerHTML?.slice(0, 160) ?? String(e.target);
    console.log(`EV ${performance.now().toFixed(0)} ${type} ${e.key ?? ''} ${e.clientX},${e.clientY} ${target}`);
  }, true);
}"""
_contexts = itertools.count(1)


# The console's tests have an organisation, an admin and client addresses of their own: a browser
# makes many requests per user and signs in often, and must not drain the rate limits (per user,
# and per address on login) of the users and the address the other end-to-end tests share.
@pytest.fixture(scope="session")
async def platform_admin(client) -> dict:
    return bearer(await login(client, ADMIN_USERNAME, ADMIN_PASSWORD))


@pytest.fixture(scope="session")
async def org(client, platform_admin) -> dict:
    return await make_org(client, platform_admin, with_admin=True)


@pytest.fixture(scope="session")
def admin(org) -> dict:
    """The headers of the console tests' own admin."""
    return org["admin"]["headers"]


@pytest.fixture(scope="session")
def admin_person(org) -> dict:
    return {"username": org["admin"]["username"], "password": PASSWORD}


def chromium_path() -> str:
    path = os.environ.get("CRM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is missing: deploy/local/crm-local install-browser (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
async def browser():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


async def new_context(browser: Browser, *, phone: bool = False, language: str = "vi") -> BrowserContext:
    context = await browser.new_context(
        base_url=GATEWAY, viewport=PHONE if phone else DESKTOP, locale="vi-VN" if language == "vi" else "en-US",
        timezone_id="Asia/Ho_Chi_Minh", is_mobile=phone, has_touch=phone,
        # no animation (the console honours the reader's system setting): on a loaded machine Playwright
        # clicked a tree node of a unit picker aligned to its dialog's input while the dialog was still
        # zooming in from the button that opened it; the popup moved between mousedown and mouseup, the
        # node was never picked and the dialog closed (an event log of the failing run). A dialog that
        # zooms in, a menu that slides: the same race in CI's other flaky console tests.
        reduced_motion="reduce",
        # axe-core is injected as a script: the console's own CSP would (rightly) refuse it
        bypass_csp=True,
        # a client of its own behind the trusted proxy (run-tests trusts 127.0.0.1): its own login bucket
        extra_http_headers={"X-Forwarded-For": f"10.99.{next(_contexts) % 250}.{random.randint(1, 250)}"},
    )
    if language == "en":
        await context.add_init_script("localStorage.setItem('crm.language', 'en')")
    return context


async def sign_in(page: Page, username: str, password: str, path: str = "/") -> Page:
    """Open `path`, sign in through the form, and wait for the shell."""
    await page.goto(path)
    await page.get_by_label(re.compile("Tên đăng nhập|Username")).fill(username)
    await page.get_by_label(re.compile("^(Mật khẩu|Password)$")).fill(password)
    await page.get_by_role("button", name=re.compile("^(Đăng nhập|Sign in)$")).click()
    await expect(page.get_by_role("button", name=re.compile("Đăng xuất|Sign out"))).to_be_visible()
    # the pointer stays where "Đăng nhập" was: whatever the screen puts there next would be hovered
    # (a primary button's hover colour fails the contrast check the page at rest passes)
    await page.mouse.move(0, 0)
    return page


@pytest.fixture
async def open_as(browser):
    """`await open_as(user, path, phone=False)`: a page of `user` ({"username", "password"}) signed in.
    With CRM_CONSOLE_EVENTS=1 each page prints its console and every pointer and key event with its
    target (shown with a failed test's output): how the unit picker's race (new_context) was found,
    where a Playwright trace made the test too slow to fail."""
    contexts: list[BrowserContext] = []

    async def open_(user: dict, path: str = "/", *, phone: bool = False, language: str = "vi") -> Page:
        context = await new_context(browser, phone=phone, language=language)
        contexts.append(context)
        page = await context.new_page()
        if os.environ.get("CRM_CONSOLE_EVENTS") == "1":
            await page.add_init_script(EVENT_LOG)
            page.on("console", lambda message: print("CONSOLE", message.text))
        return await sign_in(page, user["username"], user["password"], path)

    yield open_
    for context in contexts:
        await context.close()


async def assert_accessible(page: Page, *, name: str) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: npm ci in web/")
    # colours are measured as painted: let opening dialogs and menus finish fading in
    await page.wait_for_function("""document.getAnimations().every(a =>
        a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)""")  # spinners never end
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{name}: {serious}"


async def confirm_ok(dialog: Locator) -> None:
    """Press OK in an antd `modal.confirm` and see it close. In 2 of ~40 fresh-clone runs a confirm
    opened from inside another dialog (compensation: send, withdraw) stayed open after Playwright's
    click, with no request in the gateway's log: the click never reached antd's handler — probably
    the race of a dialog still zooming in (new_context: the browsers now run without motion). A
    person would press OK again, so the test does, once: antd ignores a second press while the first
    one's request runs, and the request's Idempotency-Key makes a repeated post the same post."""
    await dialog.get_by_role("button", name="OK").click()
    try:
        await expect(dialog).to_be_hidden(timeout=3_000)
    except AssertionError:
        if await dialog.get_by_role("button", name="OK").is_enabled():
            await dialog.get_by_role("button", name="OK").click()
        await expect(dialog).to_be_hidden()


async def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def console_helpers():
    """Helpers for the test modules (imported by fixture: the suite runs with --import-mode=importlib)."""
    from types import SimpleNamespace

    return SimpleNamespace(assert_accessible=assert_accessible, screenshot=screenshot, sign_in=sign_in,
                           new_context=new_context, expect=expect, confirm_ok=confirm_ok)
