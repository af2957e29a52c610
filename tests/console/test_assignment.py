"""Giao việc in a real browser (seed 004, 6.2): a manager offers customers to a rep without
"Giao trực tiếp không cần sale xác nhận"; the rep opens "Khách hàng được giao", declines one offer
with a reason and accepts another; the manager's list shows the refusal and its reason, and the
manager recalls ("Thu hồi") the accepted one."""
from __future__ import annotations

import re
import uuid

from e2e_support import PASSWORD, eventually, random_mobile


def person(user: dict) -> dict:
    return {"username": user["username"], "password": PASSWORD}


async def offer(client, manager: dict, rep: dict, text: str) -> dict:
    """A new customer of the manager, offered to the rep (direct=false): the offer."""
    created = await client.post("/api/v1/customers", headers=manager["headers"],
                                json={"name": f"Khách giao {uuid.uuid4().hex[:6]}", "phone": random_mobile()})
    assert created.status_code == 201, created.text
    body = {"customer_ids": [created.json()["id"]], "text": text, "direct": False,
            "job": {"content": f"Chiến dịch {text}", "type": "telesales"},
            "quantities": [{"user_id": rep["id"], "count": 1}]}

    async def distributed():  # the assignment service learns of new customers from events
        r = await client.post("/api/v1/assignments", headers=manager["headers"], json=body)
        assert r.status_code in (201, 422), r.text
        return r.json() if r.status_code == 201 else None

    made = await eventually(distributed, timeout=30)
    [assignment] = made["assignments"]
    assert assignment["status"] == "offered"
    return assignment


async def test_a_rep_declines_one_offer_with_a_reason_and_accepts_another(open_as, org, client, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:6]
    declined_text = f"Gọi tư vấn gói A {tag}"
    accepted_text = f"Chăm sóc khách cũ {tag}"
    await offer(client, org["manager"], org["rep"], declined_text)
    await offer(client, org["manager"], org["rep"], accepted_text)

    page = await open_as(person(org["rep"]), "/customers")
    await page.get_by_role("menuitem", name="Giao việc").click()
    await h.expect(page.get_by_role("heading", name="Giao việc", level=1)).to_be_visible()
    await h.expect(page.get_by_role("tab", name="Khách hàng được giao")).to_be_visible()
    await h.expect(page.get_by_role("tab", name="Công việc")).to_have_count(0)  # reps do not distribute
    declined = page.get_by_role("article", name=declined_text)
    accepted = page.get_by_role("article", name=accepted_text)
    await h.expect(declined).to_contain_text("Chờ xác nhận")
    await h.expect(declined).to_contain_text("Hạn xác nhận")
    await h.expect(declined).to_contain_text("Người dùng manager")
    await h.assert_accessible(page, name="my-offers")
    await h.screenshot(page, "my-offers")

    await declined.get_by_role("button", name="Từ chối").click()
    dialog = page.get_by_role("dialog", name="Từ chối giao việc")
    await dialog.get_by_label("Lý do từ chối").fill("Em đang kín lịch tuần này")
    await dialog.get_by_role("button", name="Từ chối").click()
    await h.expect(page.get_by_text("Đã từ chối giao việc").first).to_be_visible()
    await h.expect(declined).to_have_count(0)  # no longer waiting for an answer

    await accepted.get_by_role("button", name="Nhận việc").click()
    await h.expect(page.get_by_text("Đã nhận việc").first).to_be_visible()
    await h.expect(accepted).to_have_count(0)
    await page.get_by_label("Lọc theo trạng thái").get_by_text("Đã nhận", exact=True).click()
    await h.expect(page.get_by_role("article", name=accepted_text)).to_contain_text("Đã nhận")

    manager = await open_as(person(org["manager"]), "/assignments/made")
    row = manager.get_by_role("row", name=re.compile(re.escape(declined_text)))
    await h.expect(row).to_contain_text("Đã từ chối")
    await h.expect(row).to_contain_text("Em đang kín lịch tuần này")
    await h.expect(manager.get_by_role("row", name=re.compile(re.escape(accepted_text)))).to_contain_text("Đã nhận")
    await h.assert_accessible(manager, name="assignments-made")
    await h.screenshot(manager, "assignments-made")

    accepted_row = manager.get_by_role("row", name=re.compile(re.escape(accepted_text)))
    await h.expect(accepted_row).to_contain_text("1 / 1 khách hàng")
    await accepted_row.get_by_role("button", name=f"Thu hồi: {accepted_text}").click()
    await manager.get_by_role("tooltip").get_by_role("button", name="Thu hồi").click()
    await h.expect(manager.get_by_text("Thành công: đã thu hồi 1 khách hàng").first).to_be_visible()
    await h.expect(accepted_row).to_contain_text("0 / 1 khách hàng")
    await h.expect(accepted_row.get_by_role("button", name=re.compile("Thu hồi"))).to_have_count(0)

    await manager.get_by_role("tab", name="Công việc").click()
    job_row = manager.get_by_role("row", name=re.compile(re.escape(f"Chiến dịch {accepted_text}")))
    await h.expect(job_row).to_contain_text("telesales")
    await h.screenshot(manager, "jobs")
    await job_row.get_by_role("link", name="Xem giao việc").click()  # the job's assignments only
    await h.expect(manager.get_by_role("row", name=re.compile(re.escape(accepted_text)))).to_be_visible()
    await h.expect(manager.get_by_role("row", name=re.compile(re.escape(declined_text)))).to_have_count(0)


async def test_my_offers_on_a_phone(open_as, org, client, console_helpers):
    h = console_helpers
    text = f"Gọi lại trong ngày {uuid.uuid4().hex[:6]}"
    await offer(client, org["manager"], org["rep2"], text)
    page = await open_as(person(org["rep2"]), "/assignments", phone=True)
    card = page.get_by_role("article", name=text)
    await h.expect(card.get_by_role("button", name="Nhận việc")).to_be_visible()
    await h.expect(card.get_by_role("button", name="Từ chối")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    await h.assert_accessible(page, name="my-offers-phone")
    await h.screenshot(page, "my-offers-phone")
