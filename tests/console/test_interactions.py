"""The interactions screens in a real browser: seed 003 end to end with two people (a comment tags a
colleague, whose bell lights up live; they open it under "Quan trọng" and acknowledge; the author
sees the name turn green), a call result sheet with its rating on the history, a file dropped and
downloaded, a care ticket planned then done, and the private calendar link (seed 002)."""
from __future__ import annotations

import re
import uuid

from e2e_support import PASSWORD, eventually, fresh_rep, random_mobile

GREEN = "rgb(35, 120, 4)"  # MentionName's ACKNOWLEDGED_GREEN


def person(user: dict) -> dict:
    return {"username": user["username"], "password": PASSWORD}


async def known_customer(client, owner: dict, name: str, *, seen_by: dict | None = None) -> dict:
    """A new customer of `owner` (and of `seen_by` as a viewer), once the interactions service knows it."""
    created = await client.post("/api/v1/customers", headers=owner["headers"], json={"name": name, "phone": random_mobile()})
    assert created.status_code == 201, created.text
    customer = created.json()
    if seen_by:
        async def shared():  # the customers service learns of a new user from events (422 until then)
            added = await client.post(f"/api/v1/customers/{customer['id']}/viewers", headers=owner["headers"],
                                      json={"user_id": seen_by["id"]})
            assert added.status_code in (200, 201, 204, 422), added.text
            return added.status_code != 422

        await eventually(shared, timeout=30)

    async def visible(user: dict):
        return (await client.get(f"/api/v1/customers/{customer['id']}/timeline", headers=user["headers"])).status_code == 200

    await eventually(lambda: visible(owner), timeout=30)
    if seen_by:
        await eventually(lambda: visible(seen_by), timeout=30)
    return customer


async def mentionable(client, author: dict, user: dict) -> None:
    """Wait until the interactions service knows `user` (from events) for a mention: on a customer of
    `author` they do not see, a mention of them is refused as not visible, not as unknown (and
    nothing is written)."""
    unseen = await known_customer(client, author, f"Khách Riêng {uuid.uuid4().hex[:6]}")

    async def known():
        r = await client.post(f"/api/v1/customers/{unseen['id']}/comments", headers=author["headers"],
                              json={"text": f"@{user['username']}"})
        assert r.status_code == 422, r.text
        return user["username"] not in r.json().get("unknown_usernames", [])

    await eventually(known, timeout=30)


async def test_a_mention_lights_the_bell_live_and_the_acknowledgement_turns_the_name_green(browser, org, client,
                                                                                          console_helpers):
    h = console_helpers
    # the bell of a colleague of the test's own: a late notification of an earlier test to the
    # session's rep2 (an offer, a decision) would move it by more than this mention
    rep, rep2 = org["rep"], await fresh_rep(client, org, "Sale Thu")
    customer = await known_customer(client, rep, f"Khách Trao Đổi {uuid.uuid4().hex[:6]}", seen_by=rep2)
    await mentionable(client, rep, rep2)

    rep2_context = await h.new_context(browser)
    rep2_page = await h.sign_in(await rep2_context.new_page(), rep2["username"], PASSWORD, path="/customers")
    bell = rep2_page.get_by_test_id("notification-count")
    await h.expect(bell).to_have_attribute("data-count", re.compile(r"^\d+$"))
    before = int(await bell.get_attribute("data-count") or "0")

    rep_context = await h.new_context(browser)
    rep_page = await h.sign_in(await rep_context.new_page(), rep["username"], PASSWORD,
                               path=f"/customers/{customer['id']}/comments")
    box = rep_page.get_by_label("Trao đổi", exact=True)
    await box.click()
    await box.press_sequentially(f"@{rep2['username']}")
    await rep_page.get_by_text(f"(@{rep2['username']})").click()  # the colleague found as one types
    await box.press_sequentially("gọi lại khách #uutien")
    await h.expect(box).to_have_value(f"@{rep2['username']} gọi lại khách #uutien")
    await rep_page.get_by_role("button", name="Gửi").click()
    comment = rep_page.get_by_test_id("comment").filter(has_text="gọi lại khách")
    await h.expect(comment).to_be_visible()
    mention = comment.get_by_test_id("mention")
    await h.expect(mention).to_have_attribute("data-acknowledged", "false")

    # rep2's bell rises while the page stays as it is (the SSE stream, no reload)
    await h.expect(bell).to_have_attribute("data-count", str(before + 1))
    await rep2_page.get_by_role("button", name=re.compile("Thông báo")).click()
    await rep2_page.get_by_role("tab", name="Quan trọng").click()
    notification = rep2_page.get_by_test_id("notification").filter(has_text="gọi lại khách #uutien")
    await h.expect(notification).to_have_attribute("data-unread", "true")
    await h.expect(notification).to_contain_text(f"@{rep['username']} nhắc đến bạn")
    await h.assert_accessible(rep2_page, name="notifications")
    await h.screenshot(rep2_page, "notifications")

    await notification.get_by_role("button", name=re.compile("nhắc đến bạn")).click()
    await h.expect(rep2_page).to_have_url(re.compile(rf"/customers/{customer['id']}/comments\?comment="))
    mentioned = rep2_page.get_by_test_id("comment").filter(has_text="gọi lại khách")
    await mentioned.get_by_role("button", name="Xác nhận đã đọc").click()
    await h.expect(mentioned.get_by_test_id("mention")).to_have_attribute("data-acknowledged", "true")
    await h.expect(bell).to_have_attribute("data-count", str(before))  # opening it read it

    # the author's page shows the name in green (it refreshes while a tag waits for its acknowledgement)
    await h.expect(mention).to_have_attribute("data-acknowledged", "true", timeout=30_000)
    assert await mention.evaluate("element => getComputedStyle(element).color") == GREEN
    await h.expect(mention).to_contain_text(rep2["full_name"])

    # the filters of seed 003: by author, hashtag and read state
    await rep_page.get_by_placeholder("Từ khóa (#)").fill("uutien")
    await rep_page.get_by_placeholder("Từ khóa (#)").press("Enter")
    await h.expect(comment).to_be_visible()
    await rep_page.get_by_placeholder("Từ khóa (#)").fill("khongco")
    await rep_page.get_by_placeholder("Từ khóa (#)").press("Enter")
    await h.expect(rep_page.get_by_text("Chưa có trao đổi nào")).to_be_visible()
    await rep_page.get_by_placeholder("Từ khóa (#)").fill("")
    await rep_page.get_by_placeholder("Từ khóa (#)").press("Enter")
    await h.expect(comment).to_be_visible()
    await rep_page.mouse.move(0, 0)  # no button left in its hover colour
    await h.assert_accessible(rep_page, name="customer-comments")
    await h.screenshot(rep_page, "customer-comments")

    # the author edits, then deletes, their own comment
    await comment.get_by_role("button", name="Sửa").click()
    await comment.get_by_label("Trao đổi").fill(f"@{rep2['username']} gọi lại khách trước 17h #uutien")
    await comment.get_by_role("button", name="Lưu").click()
    await h.expect(comment).to_contain_text("trước 17h")
    await h.expect(comment.get_by_test_id("mention")).to_have_attribute("data-acknowledged", "true")
    await comment.get_by_role("button", name="Xóa").click()
    await rep_page.get_by_role("button", name="Xác nhận").click()
    await h.expect(rep_page.get_by_test_id("comment")).to_have_count(0)
    await rep_context.close()
    await rep2_context.close()


async def test_a_call_result_sheet_with_its_rating_and_a_note_appear_on_the_history(open_as, org, client, console_helpers):
    h = console_helpers
    customer = await known_customer(client, org["rep"], f"Khách Gọi Điện {uuid.uuid4().hex[:6]}")
    statuses = (await client.get("/api/v1/customer-statuses", headers=org["rep"]["headers"])).json()
    target = next(status for status in statuses if status["key"] == customer["status"])  # no global status of our own
    updated = await client.post(f"/api/v1/customers/{customer['id']}/status", headers=org["rep"]["headers"],
                                json={"status": target["key"], "note": "Khách quan tâm gói 12 tháng"})
    assert updated.status_code == 200, updated.text
    page = await open_as(person(org["rep"]), f"/customers/{customer['id']}/history")
    classified = page.get_by_test_id("timeline-entry").filter(has_text="Khách quan tâm gói 12 tháng")
    await h.expect(classified).to_contain_text("Phân loại")
    await h.expect(classified).to_contain_text(target["name"])  # the status by its name, not its key
    await h.expect(page.get_by_test_id("timeline-entry").filter(has_text="Thêm mới")).to_be_visible()

    await page.get_by_role("button", name="Ghi kết quả cuộc gọi").click()
    dialog = page.get_by_role("dialog", name="Phiếu kết quả cuộc gọi")
    await dialog.get_by_label("Phút").fill("3")
    await dialog.get_by_label("Giây").fill("20")
    await dialog.get_by_role("radio", name=re.compile("^4 sao")).click()
    await dialog.get_by_label("Mô tả").fill("Khách hẹn tuần sau gọi lại")
    await dialog.get_by_role("button", name="Lưu").click()
    await h.expect(dialog).to_be_hidden()

    call = page.get_by_test_id("timeline-entry").filter(has_text="Khách hẹn tuần sau gọi lại")
    await h.expect(call).to_have_attribute("data-type", "call_out")
    await h.expect(call).to_contain_text("Gọi đi")
    await h.expect(call).to_contain_text("Đã liên lạc được")
    await h.expect(call).to_contain_text("3:20")
    await h.expect(call).to_contain_text("4/5")
    sheets = (await client.get(f"/api/v1/customers/{customer['id']}/calls", headers=org["rep"]["headers"])).json()["items"]
    assert [(s["rating"], s["duration_seconds"]) for s in sheets] == [(4, 200)]

    await page.get_by_placeholder("Nội dung đã trao đổi với khách hàng…").fill("Đã gửi báo giá qua email")
    await page.get_by_role("button", name="Lưu ghi chú").click()
    await h.expect(page.get_by_test_id("timeline-entry").first).to_contain_text("Đã gửi báo giá qua email")

    await page.get_by_label("Loại tương tác").click()
    await page.get_by_title("Gọi đi", exact=True).click()
    await page.keyboard.press("Escape")
    await h.expect(page.get_by_role("listbox")).to_have_count(0)
    await h.expect(page.get_by_test_id("timeline-entry")).to_have_count(1)
    await h.assert_accessible(page, name="customer-history")
    await h.screenshot(page, "customer-history")

    phone = await open_as(person(org["rep"]), f"/customers/{customer['id']}/history", phone=True)
    await h.expect(phone.get_by_test_id("timeline-entry").filter(has_text="Khách hẹn tuần sau gọi lại")).to_be_visible()
    await h.assert_accessible(phone, name="customer-history-phone")
    await h.screenshot(phone, "customer-history-phone")


async def test_a_file_dropped_on_the_customer_downloads_and_an_executable_is_refused(open_as, org, client,
                                                                                    console_helpers):
    h = console_helpers
    customer = await known_customer(client, org["rep"], f"Khách Tài Liệu {uuid.uuid4().hex[:6]}")
    page = await open_as(person(org["rep"]), f"/customers/{customer['id']}/attachments")
    content = "Báo giá gói phần mềm 12 tháng\n".encode()
    dragger_input = page.locator("input[type=file]")
    await dragger_input.set_input_files({"name": "bao-gia.txt", "mimeType": "text/plain", "buffer": content})
    download_button = page.get_by_role("button", name="Tải xuống bao-gia.txt")
    await h.expect(download_button).to_be_visible()
    async with page.expect_download() as info:
        await download_button.click()
    download = await info.value
    assert download.suggested_filename == "bao-gia.txt"
    assert open(await download.path(), "rb").read() == content

    await dragger_input.set_input_files({"name": "cai-dat.exe", "mimeType": "application/octet-stream",
                                         "buffer": b"MZ\x90\x00" + b"\x00" * 200})
    await h.expect(page.get_by_role("alert").filter(has_text="cai-dat.exe")).to_be_visible()
    await h.assert_accessible(page, name="customer-attachments")
    await h.screenshot(page, "customer-attachments")


async def test_a_care_ticket_is_planned_then_done_and_the_calendar_link_is_shown(open_as, org, client, console_helpers):
    h = console_helpers
    customer = await known_customer(client, org["rep"], f"Khách Chăm Sóc {uuid.uuid4().hex[:6]}")
    page = await open_as(person(org["rep"]), f"/customers/{customer['id']}/care")
    await page.get_by_role("button", name="Thêm phiếu chăm sóc").click()
    dialog = page.get_by_role("dialog", name="Thêm phiếu chăm sóc")
    planned = dialog.get_by_label("Thời gian chăm sóc")
    await planned.click()
    await planned.fill("30/11/2026 09:30")
    await planned.press("Enter")
    await dialog.get_by_label("Nội dung").fill("Gọi hỏi thăm sau khi giao hàng")
    await dialog.get_by_role("button", name="Lưu").click()
    await h.expect(dialog).to_be_hidden()
    row = page.get_by_role("row").filter(has_text="Gọi hỏi thăm sau khi giao hàng")
    await h.expect(row).to_contain_text("Kế hoạch")
    await h.expect(row).to_contain_text("30/11/2026 09:30")

    await row.get_by_role("button", name="Đã thực hiện").click()
    done = page.get_by_role("dialog", name="Đã thực hiện")
    await done.get_by_label("Kết quả").fill("Khách hài lòng")
    await done.get_by_role("button", name="Xác nhận").click()
    await h.expect(row).to_contain_text("Kết quả: Khách hài lòng")
    await h.expect(row.get_by_role("button", name="Đã thực hiện")).to_have_count(0)
    await h.assert_accessible(page, name="customer-care")
    await h.screenshot(page, "customer-care")

    await page.goto("/care-tickets")
    await h.expect(page.get_by_role("heading", name="Phiếu chăm sóc", level=1)).to_be_visible()
    await h.expect(page.get_by_role("row").filter(has_text="Khách hài lòng")).to_contain_text(customer["name"])

    await page.goto("/appointments")
    await page.get_by_role("button", name="Tạo liên kết lịch").click()
    await page.get_by_role("button", name="Xác nhận").click()
    link = page.get_by_label("Liên kết lịch")
    await h.expect(link).to_have_value(re.compile(r"^http://.+/api/v1/me/calendar\.ics\?token=.+"))
    await h.expect(page.get_by_role("button", name="Sao chép")).to_be_visible()
    feed = await client.get(await link.input_value())
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    await h.assert_accessible(page, name="appointments")
    await h.screenshot(page, "appointments")


async def test_a_support_ticket_goes_from_pending_to_done_and_shows_in_my_tickets(open_as, org, client, console_helpers):
    h = console_helpers
    customer = await known_customer(client, org["rep"], f"Khách Hỗ Trợ {uuid.uuid4().hex[:6]}")
    title = f"Không đăng nhập được {uuid.uuid4().hex[:6]}"
    page = await open_as(person(org["rep"]), f"/customers/{customer['id']}/care")
    await page.get_by_role("tab", name="Phiếu hỗ trợ").click()
    await page.get_by_role("button", name="Thêm phiếu hỗ trợ").click()
    drawer = page.get_by_role("dialog", name="Thêm phiếu hỗ trợ")
    await drawer.get_by_label("Tiêu đề").fill(title)
    await drawer.get_by_label("Nội dung").fill("Khách báo lỗi mật khẩu")
    await drawer.get_by_label("Phản hồi khách hàng").fill("Đã hướng dẫn đặt lại mật khẩu")
    await drawer.get_by_role("button", name="Lưu").click()
    await h.expect(drawer).to_be_hidden()
    row = page.get_by_role("row").filter(has_text=title)
    await h.expect(row).to_contain_text("Chờ xử lý")

    for action, status in (("Tiếp nhận xử lý", "Đang xử lý"), ("Hoàn thành", "Hoàn thành")):
        await row.get_by_role("button", name=action).click()
        await page.get_by_role("dialog", name=action).get_by_role("button", name="Xác nhận").click()
        await h.expect(row).to_contain_text(status)
    await h.expect(row.get_by_role("button", name="Hoàn thành")).to_have_count(0)
    stored = (await client.get(f"/api/v1/support-tickets?customer_id={customer['id']}", headers=org["rep"]["headers"])).json()
    assert [(t["title"], t["status"], t["response_to_customer"]) for t in stored["items"]] == [
        (title, "done", "Đã hướng dẫn đặt lại mật khẩu")]

    await page.goto("/support-tickets")
    await h.expect(page.get_by_role("heading", name="Phiếu hỗ trợ", level=1)).to_be_visible()
    await h.expect(page.get_by_role("row").filter(has_text=title)).to_contain_text(customer["name"])
    await h.assert_accessible(page, name="support-tickets")
    await h.screenshot(page, "support-tickets")


async def test_comments_and_notifications_on_a_phone(open_as, org, client, console_helpers):
    h = console_helpers
    # a reader of the test's own: all read must stay all read (no late notification of an earlier test)
    reader = await fresh_rep(client, org, "Sale Hạnh")
    customer = await known_customer(client, reader, f"Khách Điện Thoại {uuid.uuid4().hex[:6]}", seen_by=org["rep2"])

    async def posted():  # the interactions service learns of the new reader from events (unknown until then)
        r = await client.post(f"/api/v1/customers/{customer['id']}/comments", headers=org["rep2"]["headers"],
                              json={"text": f"@{reader['username']} khách cần báo giá #baogia"})
        assert r.status_code in (201, 422), r.text
        return r.status_code == 201

    await eventually(posted, timeout=30)
    page = await open_as(person(reader), f"/customers/{customer['id']}/comments", phone=True)
    comment = page.get_by_test_id("comment").filter(has_text="khách cần báo giá")
    await h.expect(comment.get_by_role("button", name="Xác nhận đã đọc")).to_be_visible()
    await h.assert_accessible(page, name="customer-comments-phone")
    await h.screenshot(page, "customer-comments-phone")

    await page.goto("/notifications?tab=important")
    await h.expect(page.get_by_test_id("notification").filter(has_text="khách cần báo giá")).to_be_visible()
    await page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    await h.expect(page.get_by_test_id("unread-count")).to_have_text("0 thông báo chưa đọc")
    await h.expect(page.get_by_test_id("notification-count")).to_have_attribute("data-count", "0")
    await h.assert_accessible(page, name="notifications-phone")
    await h.screenshot(page, "notifications-phone")


async def test_a_manager_finds_deleted_comments_and_the_screens_speak_english(open_as, org, client, console_helpers):
    h = console_helpers
    customer = await known_customer(client, org["rep"], f"Khách Đã Xóa {uuid.uuid4().hex[:6]}")
    posted = await client.post(f"/api/v1/customers/{customer['id']}/comments", headers=org["rep"]["headers"],
                               json={"text": "ghi nhầm khách #nham"})
    assert posted.status_code == 201, posted.text
    removed = await client.delete(f"/api/v1/comments/{posted.json()['id']}", headers=org["rep"]["headers"])
    assert removed.status_code == 204, removed.text

    page = await open_as(person(org["manager"]), f"/customers/{customer['id']}/comments")
    await h.expect(page.get_by_text("Chưa có trao đổi nào")).to_be_visible()
    await page.get_by_role("switch", name="Đã xóa").click()
    deleted = page.get_by_test_id("comment").filter(has_text="ghi nhầm khách")
    await h.expect(deleted).to_contain_text("Đã xóa")
    await h.expect(deleted.get_by_role("button", name="Sửa")).to_have_count(0)

    rep = await open_as(person(org["rep"]), f"/customers/{customer['id']}/comments")
    await h.expect(rep.get_by_text("Chưa có trao đổi nào")).to_be_visible()
    await h.expect(rep.get_by_role("switch", name="Đã xóa")).to_have_count(0)  # managers and admins only

    english = await open_as(person(org["rep"]), "/notifications", language="en")
    await h.expect(english.get_by_role("tab", name="Important")).to_be_visible()
    await english.goto(f"/customers/{customer['id']}/history")
    await h.expect(english.get_by_role("button", name="Log a call result")).to_be_visible()
