"""The console's shell in a real browser: sign in and out, a session that survives a reload without
a token a script could read, deep links, the header, the language switch, a phone's menu."""
from __future__ import annotations

import re
import uuid

from e2e_support import PASSWORD, login, random_mobile


def person(user: dict) -> dict:
    return {"username": user["username"], "password": PASSWORD}


async def test_sign_in_keeps_the_page_asked_for_and_survives_a_reload(browser, org, client, console_helpers):
    h = console_helpers
    created = await client.post("/api/v1/customers", headers=org["rep"]["headers"],
                                json={"name": "Khách Deep Link", "phone": random_mobile()})
    assert created.status_code == 201, created.text
    customer = created.json()
    context = await h.new_context(browser)
    page = await context.new_page()
    await page.goto(f"/customers/{customer['id']}")  # a link a colleague sent
    await h.expect(page.get_by_role("heading", name=re.compile("Đăng nhập"))).to_be_visible()
    await h.assert_accessible(page, name="login")
    await h.screenshot(page, "login")

    await h.sign_in(page, org["rep"]["username"], PASSWORD, path=f"/customers/{customer['id']}")
    await h.expect(page.get_by_role("heading", name="Khách Deep Link")).to_be_visible()
    assert page.url.endswith(f"/customers/{customer['id']}")
    badge = page.get_by_test_id("current-user")
    await h.expect(badge).to_contain_text("Người dùng rep")
    await h.expect(badge).to_contain_text("Nhóm")  # the unit's name
    await h.expect(badge).to_contain_text("Nhân viên kinh doanh")

    storage = await page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert "eyJ" not in storage  # no JWT where a script could read it
    assert "crm_refresh" not in await page.evaluate("document.cookie")  # HttpOnly

    await page.reload()
    await h.expect(page.get_by_role("heading", name="Khách Deep Link")).to_be_visible()
    await h.expect(page.get_by_label(re.compile("Tên đăng nhập"))).to_have_count(0)

    await page.get_by_role("button", name="Đăng xuất").click()
    await h.expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    await page.reload()
    await h.expect(page.get_by_label("Tên đăng nhập")).to_be_visible()  # the cookie went with the session
    await context.close()


async def test_a_wrong_password_says_so_in_vietnamese(browser, org, console_helpers):
    h = console_helpers
    context = await h.new_context(browser)
    page = await context.new_page()
    await page.goto("/")
    await page.get_by_label("Tên đăng nhập").fill(org["rep"]["username"])
    await page.get_by_label("Mật khẩu").fill("not-the-password")
    await page.get_by_role("button", name="Đăng nhập").click()
    await h.expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    await context.close()


async def test_the_language_switch_and_a_phone_menu(open_as, org, console_helpers):
    h = console_helpers
    page = await open_as(person(org["rep"]), "/customers", phone=True)
    await h.expect(page.get_by_role("heading", name="Khách hàng")).to_be_visible()
    await h.assert_accessible(page, name="customers-phone")
    await h.screenshot(page, "customers-phone")
    await page.get_by_role("button", name="Menu").click()
    await h.expect(page.get_by_role("menuitem", name="Lịch hẹn")).to_be_visible()
    await page.keyboard.press("Escape")

    nobody = f"zz{uuid.uuid4().hex}"
    await page.get_by_label("Tìm kiếm khách hàng").fill(nobody)
    await page.get_by_label("Tìm kiếm khách hàng").press("Enter")
    await h.expect(page.get_by_role("table").get_by_role("img", name="Trống")).to_be_visible()  # antd's own words
    await page.get_by_title("English").click()
    await h.expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    # antd's English words load when chosen
    await h.expect(page.get_by_role("table").get_by_role("img", name="No data")).to_be_visible()
    await page.reload()
    await h.expect(page.get_by_role("heading", name="Customers")).to_be_visible()  # remembered
    await h.expect(page.get_by_role("table").get_by_role("img", name="No data")).to_be_visible()


async def test_an_unknown_path_is_a_not_found_page(open_as, org, console_helpers):
    page = await open_as(person(org["rep"]), "/khong-co-trang-nay")
    await console_helpers.expect(page.get_by_text("Không tìm thấy")).to_be_visible()


async def test_an_expiring_token_is_renewed_without_losing_the_page(open_as, org, client, console_helpers):
    h = console_helpers
    lifetime = (await login(client, **person(org["rep"])))["expires_in"]  # the stack's, in seconds
    page = await open_as(person(org["rep"]), "/customers")
    await h.expect(page.get_by_role("heading", name="Khách hàng")).to_be_visible()
    await page.clock.install()
    async with page.expect_response(lambda r: r.url.endswith("/api/v1/auth/session/refresh")) as renewal:
        # past the access token's lifetime: whatever asks for the token first renews it — the search, or
        # a timer that fires within the jump, such as the notification stream's reconnect (CI57 waited
        # 30 s for a renewal after the search: most likely one had happened before the test listened)
        await page.clock.fast_forward((lifetime + 60) * 1000)
        async with page.expect_response(lambda r: "khong-ai-ten-nay" in r.url and r.status == 200) as searched:
            await page.get_by_role("searchbox").fill("khong-ai-ten-nay")
            await page.get_by_role("searchbox").press("Enter")
    assert (await renewal.value).status == 200
    assert "/api/v1/customers" in (await searched.value).url  # the search went through with the new token
    await h.expect(page.get_by_role("heading", name="Khách hàng")).to_be_visible()
    await h.expect(page.get_by_label("Tên đăng nhập")).to_have_count(0)  # still signed in, same page
