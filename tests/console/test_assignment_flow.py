"""Giao sale chăm sóc end to end in a real browser (seed 004 §6.2, seed 001 "Chia lead", issue 13): a
manager ticks customers, creates a job, keeps the prefilled text's place, gives two reps quantities
that must add up (not direct); one rep declines with a reason; the manager sees the notification
with the reason, opens the assignment and the job's report, and recalls the other rep's leads from
the sales team ("Đội sale": open leads against capacity)."""
from __future__ import annotations

import re
import uuid

from e2e_support import choose, eventually, fresh_rep, known_customers, person


async def test_select_assign_decline_notify_report_recall(open_as, org, client, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:8]
    manager = org["manager"]
    an = await fresh_rep(client, org, "Sale An")
    binh = await fresh_rep(client, org, "Sale Bình")
    capacity = await client.patch(f"/api/v1/roster/{binh['id']}", headers=manager["headers"], json={"capacity": 5})
    assert capacity.status_code == 200, capacity.text
    names = [f"Khách chia lead {i} {tag}" for i in range(3)]
    await known_customers(client, manager, an, names)

    page = await open_as(person(manager), "/customers")
    await page.get_by_label("Tìm kiếm khách hàng").fill(tag)
    await page.get_by_label("Tìm kiếm khách hàng").press("Enter")
    await h.expect(page.get_by_test_id("customer-total")).to_contain_text("3 khách hàng")
    await page.get_by_label("Chọn tất cả khách hàng đang hiển thị").check()
    await page.get_by_role("button", name="Giao sale chăm sóc").click()
    dialog = page.get_by_role("dialog")
    await h.expect(dialog.get_by_text("Giao cho sale chăm sóc (3 khách hàng)")).to_be_visible()
    await h.expect(dialog.get_by_label("Nội dung giao việc")).to_have_value("Chăm sóc 3 khách hàng được giao")
    text = f"Gọi chào gói mới {tag}"
    await dialog.get_by_label("Nội dung giao việc").fill(text)
    await dialog.get_by_text("Tạo công việc mới").click()
    await dialog.get_by_label("Nội dung công việc").fill(f"Chiến dịch chia lead {tag}")
    await dialog.get_by_label("Loại công việc").fill("Gọi điện tư vấn")
    await h.expect(dialog.get_by_label("Phương thức chia")).to_be_visible()
    reps = dialog.get_by_label("Chọn sale chăm sóc")
    for rep in (an, binh):
        await reps.fill(rep["username"])
        await reps.press("Enter")
    await dialog.get_by_text("Nội dung giao việc", exact=True).click()  # closes the reps' dropdown
    # the roster's load beside each chosen rep: Bình has a capacity of 5 and nothing open yet
    await h.expect(dialog.get_by_role("table", name="Sale chăm sóc")).to_contain_text("đang chăm sóc 0/5 · còn nhận được 5")
    await h.expect(dialog.get_by_test_id("assign-sum")).to_have_text("Tổng: 3 / 3 khách hàng đã chọn")  # split evenly
    await dialog.get_by_label(f"Số lượng khách hàng cho {an['full_name']}", exact=True).fill("1")
    await h.expect(dialog.get_by_test_id("assign-sum")).to_have_text("Tổng: 2 / 3 khách hàng đã chọn")
    await dialog.get_by_role("button", name="Giao việc").click()
    await h.expect(dialog.get_by_role("alert")).to_contain_text("phải bằng số khách hàng đã chọn (3)")
    await dialog.get_by_label(f"Số lượng khách hàng cho {an['full_name']}", exact=True).fill("2")
    await dialog.get_by_label(f"Số lượng khách hàng cho {binh['full_name']}", exact=True).fill("1")
    await h.expect(dialog.get_by_test_id("assign-sum")).to_have_text("Tổng: 3 / 3 khách hàng đã chọn")
    await dialog.get_by_label("Thời gian sale phải xác nhận").fill("30")
    await choose(page, h, dialog, "Đơn vị thời gian", "phút")
    await h.assert_accessible(page, name="assign-dialog")
    await h.screenshot(page, "assign-dialog")
    await dialog.get_by_role("button", name="Giao việc").click()
    await h.expect(page.get_by_text("Thành công: đã giao 3 khách hàng")).to_be_visible()
    await h.expect(dialog).to_be_hidden()

    offers = (await client.get("/api/v1/assignments?scope=mine&status=offered", headers=an["headers"])).json()["items"]
    [offer] = [o for o in offers if o["text"] == text]
    assert (offer["customer_count"], offer["direct"]) == (2, False)  # not direct: the rep may decline

    reason = f"Khách ngoài khu vực em phụ trách {tag}"
    rep_page = await open_as(person(an), "/assignments")
    card = rep_page.get_by_role("article", name=text)
    await h.expect(card).to_contain_text("Chờ xác nhận")
    await card.get_by_role("button", name="Từ chối").click()
    decline = rep_page.get_by_role("dialog", name="Từ chối giao việc")
    await decline.get_by_label("Lý do từ chối").fill(reason)
    await decline.get_by_role("button", name="Từ chối").click()
    await h.expect(rep_page.get_by_text("Đã từ chối giao việc").first).to_be_visible()

    await page.goto("/notifications")
    notification = page.get_by_test_id("notification").filter(has_text=reason)
    await h.expect(notification).to_contain_text(f"{an['full_name']} từ chối nhận 2 khách hàng")
    await h.expect(notification).to_contain_text(f"Lý do: {reason}")
    await notification.get_by_role("button", name=re.compile("từ chối nhận")).click()
    await h.expect(page.get_by_role("heading", name=text, level=1)).to_be_visible()  # the assignment it is about
    await h.expect(page.get_by_text(reason)).to_be_visible()
    await h.expect(page.get_by_role("table", name="Khách hàng của giao việc")).to_contain_text("Đã trả về kho")
    await h.assert_accessible(page, name="assignment-detail")
    await h.screenshot(page, "assignment-detail")

    await page.goto("/assignments/jobs")
    job_row = page.get_by_role("row", name=re.compile(re.escape(f"Chiến dịch chia lead {tag}")))
    await job_row.get_by_role("link", name=f"Báo cáo: Chiến dịch chia lead {tag}").click()
    await h.expect(page.get_by_role("heading", name=f"Báo cáo công việc: Chiến dịch chia lead {tag}")).to_be_visible()
    report = page.get_by_role("table", name="Báo cáo công việc")
    await h.expect(report.get_by_role("row", name=re.compile(re.escape(an["full_name"])))).to_be_visible()
    await h.expect(report.get_by_role("row", name=re.compile(re.escape(binh["full_name"])))).to_be_visible()
    await h.expect(report.get_by_role("row", name=re.compile("Tổng cộng"))).to_be_visible()
    await h.assert_accessible(page, name="job-report")
    await h.screenshot(page, "job-report")

    await page.get_by_role("link", name="Công việc").first.click()
    await page.get_by_role("tab", name="Đội sale").click()
    team = page.get_by_role("table", name="Đội sale")
    binh_row = team.get_by_role("row", name=re.compile(re.escape(binh["full_name"])))
    await h.expect(binh_row).to_contain_text("1 / 5")
    await h.expect(binh_row).to_contain_text("4")  # room
    await h.assert_accessible(page, name="sales-team")
    await h.screenshot(page, "sales-team")
    await binh_row.get_by_role("button", name=f"Thu hồi tất cả khách hàng của {binh['full_name']}").click()
    await page.get_by_role("tooltip").get_by_role("button", name="Thu hồi").click()
    await h.expect(page.get_by_text("Thành công: đã thu hồi 1 khách hàng từ 1 giao việc")).to_be_visible()
    await h.expect(binh_row).to_contain_text("0 / 5")
    left = (await client.get("/api/v1/assignments?scope=mine", headers=binh["headers"])).json()["items"]
    assert [o["open_count"] for o in left if o["text"] == text] == [0]


async def test_an_assignment_the_team_and_a_report_on_a_phone_and_in_english(open_as, org, client, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:8]
    manager = org["manager"]
    rep = await fresh_rep(client, org, "Sale Giang")
    ids = await known_customers(client, manager, rep, [f"Khách điện thoại {i} {tag}" for i in range(2)])
    text = f"Gọi lại trong giờ {tag}"
    made = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        "customer_ids": ids, "text": text, "direct": True, "job": {"content": f"Tái tục {tag}", "type": "telesales",
                                                                      "sla_minutes": 600},
        "strategy": "round_robin", "assignees": [rep["id"]]})
    assert made.status_code == 201, made.text
    [assignment] = made.json()["assignments"]
    job_id = made.json()["job"]["id"]

    async def noted():  # once the interactions service knows the rep owns the customer (events)
        note = await client.post(f"/api/v1/customers/{ids[0]}/notes", headers=rep["headers"],
                                 json={"text": "Đã gọi, khách hẹn gặp tuần sau"})
        assert note.status_code in (201, 404), note.text
        return note.status_code == 201

    await eventually(noted, timeout=30)  # the rep's first contact

    async def contacted():  # the assignment service learns of the note from the interactions service's events
        detail = (await client.get(f"/api/v1/assignments/{assignment['id']}", headers=manager["headers"])).json()
        return any(lead["contacted_at"] for lead in detail["customers"])

    await eventually(contacted, timeout=30)

    phone = await open_as(person(manager), f"/assignments/{assignment['id']}", phone=True)
    await h.expect(phone.get_by_role("heading", name=text, level=1)).to_be_visible()
    await h.expect(phone.get_by_text("Chia đều lần lượt")).to_be_visible()
    await h.expect(phone.get_by_test_id("sla-tag")).to_have_count(2)
    await h.expect(phone.locator("[data-testid=sla-tag][data-state=ok]")).to_have_count(1)
    await h.expect(phone.locator("[data-testid=sla-tag][data-state=contacted]")).to_have_text(
        re.compile(r"^Đã liên hệ sau \d+ phút$"))
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    await h.assert_accessible(phone, name="assignment-detail-phone")
    await h.screenshot(phone, "assignment-detail-phone")
    await phone.goto(f"/assignments/jobs/{job_id}")
    await h.expect(phone.get_by_role("row", name=re.compile(re.escape(rep["full_name"])))).to_be_visible()
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    await h.assert_accessible(phone, name="job-report-phone")
    await h.screenshot(phone, "job-report-phone")
    await phone.goto("/assignments/roster")
    await h.expect(phone.get_by_role("row", name=re.compile(re.escape(rep["full_name"])))).to_contain_text("2")
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    await h.assert_accessible(phone, name="sales-team-phone")
    await phone.goto("/assignments/territories")
    await h.expect(phone.get_by_label("Đơn vị phụ trách Cà Mau")).to_be_visible()
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    await h.assert_accessible(phone, name="territories-phone")
    await h.screenshot(phone, "territories-phone")

    english = await open_as(person(manager), f"/assignments/{assignment['id']}", language="en")
    await h.expect(english.get_by_role("heading", name="Customers of the assignment")).to_be_visible()
    await h.expect(english.locator("[data-testid=sla-tag][data-state=ok]")).to_contain_text("left · contact by")
    await h.expect(english.get_by_text("Direct, no confirmation by the rep")).to_be_visible()
