"""Compensation in a real browser, seed 000 end to end: on a customer of a purchased lead package the
rep presses "Yêu cầu bù ngay", meets the refusal of a reason whose rule fails (not enough call
attempts, counted from the calls logged on the customer), asks again with an allowed reason and
confirms (step 3); in "Danh sách yêu cầu bù" the package's request waits, "Gửi xét duyệt" passes both
confirmations (steps 7, 8) and the success dialog (9); the reviewer finds the batch in the queue, reads
the evidence and approves with a note; the rep refreshes (step 10): approved, one credit, and the bell's
notification opens the package. The rep's screens at a phone's width, the reviewer's on a desktop."""
from __future__ import annotations

import datetime as dt
import re
import uuid

from e2e_support import PASSWORD, choose, eventually, new_user, random_mobile


def person(user: dict) -> dict:
    return {"username": user["username"], "password": PASSWORD}


async def new_customer(client, rep: dict, name: str) -> dict:
    created = await client.post("/api/v1/customers", headers=rep["headers"], json={"name": name, "phone": random_mobile()})
    assert created.status_code == 201, created.text
    return created.json()


async def log_calls(client, rep: dict, customer_id: str, outcome: str, count: int) -> None:
    """Call result sheets through the interactions API (it learns the customer from its event first)."""
    for number in range(count):
        async def logged(number=number):
            answer = await client.post(
                f"/api/v1/customers/{customer_id}/calls",
                headers={**rep["headers"], "Idempotency-Key": f"call-{customer_id}-{number}"},
                json={"direction": "out", "outcome": outcome, "duration_seconds": 5, "note": f"Gọi lần {number + 1}"})
            assert answer.status_code in (201, 404), answer.text
            return answer.status_code == 201 or None
        await eventually(logged, timeout=30)


async def test_seed_000_request_send_for_review_approve_and_notify(open_as, org, client, admin, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:6]
    rep = await new_user(client, admin, username=f"comp.rep.{tag}", full_name=f"Nhân viên bù {tag}",
                         unit_id=org["team"], roles=["sales"])
    me = (await client.get("/api/v1/me", headers=admin)).json()
    reviewer = await new_user(client, admin, username=f"comp.reviewer.{tag}", full_name=f"Người duyệt {tag}",
                              unit_id=me["unit_id"], roles=["reviewer"])
    package_name = f"Gói tài khoản {tag}"
    package = await client.post("/api/v1/lead-packages", headers={**org["manager"]["headers"], "Idempotency-Key": tag},
                                json={"name": package_name, "provider": f"TheBank {tag}", "owner_id": rep["id"],
                                      "purchased_at": dt.datetime.now(dt.UTC).isoformat(),
                                      "policy": {"reasons": ["wrong_number", "fake_information"], "window_days": 30,
                                                 "max_share": 0.5, "min_call_attempts": 3}})
    assert package.status_code == 201, package.text
    package_id = package.json()["id"]
    wrong = await new_customer(client, rep, f"Khách Sai Số {tag}")
    other = await new_customer(client, rep, f"Khách Khác {tag}")

    async def delivered():  # the compensation service learns the customers from their events
        added = await client.post(f"/api/v1/lead-packages/{package_id}/leads", headers=org["manager"]["headers"],
                                  json={"customer_ids": [wrong["id"], other["id"]],
                                        "delivered_at": dt.datetime.now(dt.UTC).isoformat()})
        assert added.status_code == 200, added.text
        leads = await client.get(f"/api/v1/lead-packages/{package_id}/leads", headers=rep["headers"])
        return len(leads.json()["items"]) == 2 or None
    await eventually(delivered, timeout=30)
    await log_calls(client, rep, wrong["id"], "wrong_number", 2)

    # steps 1-4 on the customer's page, at a phone's width
    page = await open_as(person(rep), f"/customers/{wrong['id']}", phone=True)
    await h.expect(page.get_by_role("heading", name=f"Khách Sai Số {tag}", level=1)).to_be_visible()
    await page.get_by_role("button", name="Yêu cầu bù ngay").click()
    dialog = page.get_by_role("dialog", name=f"Yêu cầu bù cho khách hàng Khách Sai Số {tag}")
    await h.expect(dialog).to_be_visible()
    await dialog.get_by_label("Lý do", exact=True).click()
    await h.expect(page.get_by_title("Thông tin giả", exact=True)).to_be_visible()
    await h.expect(page.get_by_title("Trùng khách hàng", exact=True)).to_have_count(0)  # not in the package's policy
    await dialog.get_by_label("Lý do bù").click()  # closes the list
    await choose(page, h, dialog, "Lý do", "Sai số điện thoại")
    await dialog.get_by_label("Lý do bù").fill("Khách báo nhầm số, gọi 2 lần đều sai số")
    await h.assert_accessible(page, name="compensation-request")
    await h.screenshot(page, "compensation-request")
    await dialog.get_by_role("button", name="Gửi yêu cầu bù").click()
    confirm = page.get_by_role("dialog", name="Xác nhận yêu cầu bù")
    await h.expect(confirm).to_contain_text("Sai số điện thoại")
    await h.confirm_ok(confirm)
    refusal = dialog.get_by_test_id("compensation-refusal")
    await h.expect(refusal).to_have_attribute("data-code", "not_enough_call_attempts")
    await h.expect(refusal).to_contain_text(re.compile(r"2\D+3"))  # the calls counted, the policy's minimum
    await h.assert_accessible(page, name="compensation-refusal")
    await h.screenshot(page, "compensation-refusal")

    await choose(page, h, dialog, "Lý do", "Thông tin giả")
    await dialog.get_by_role("button", name="Gửi yêu cầu bù").click()
    await h.confirm_ok(page.get_by_role("dialog", name="Xác nhận yêu cầu bù"))
    await h.expect(page.get_by_text(re.compile("^Đã gửi yêu cầu bù"))).to_be_visible()
    await h.expect(dialog).to_be_hidden()

    # steps 5-6: "Danh sách yêu cầu bù", the package ("gói tài khoản") and its requests
    await page.goto("/compensation")
    await h.expect(page.get_by_role("heading", name="Danh sách yêu cầu bù", level=1)).to_be_visible()
    row = page.get_by_test_id("package-item").filter(has=page.get_by_role("link", name=package_name))
    await h.expect(row).to_contain_text("Khách hàng: 2")  # its two leads
    await h.assert_accessible(page, name="compensation-packages")
    await h.screenshot(page, "compensation-packages")
    await row.get_by_role("link", name=package_name).click()  # 6.1: the package's requests
    await h.expect(page.get_by_role("heading", name=package_name, level=1)).to_be_visible()
    request_row = page.get_by_test_id("request-item").filter(has=page.get_by_role("link", name=f"Khách Sai Số {tag}"))
    await h.expect(request_row.get_by_test_id("compensation-status")).to_have_attribute("data-status", "draft")
    await page.mouse.move(0, 0)  # a hovered primary button is paler
    await h.assert_accessible(page, name="compensation-package")
    await h.screenshot(page, "compensation-package")

    # steps 6.2-9 from the list: "Gửi xét duyệt", its summary by reason, the second confirmation, success
    await page.get_by_role("link", name="Danh sách yêu cầu bù").click()
    await row.get_by_role("button", name=f"Gửi xét duyệt: {package_name}").click()
    first = page.get_by_role("dialog", name="Gửi xét duyệt")
    await h.expect(first.get_by_test_id("submission-summary")).to_contain_text("Thông tin giả: 1")
    await h.assert_accessible(page, name="compensation-submit-confirm")
    await first.get_by_role("button", name="OK").click()
    second = page.get_by_role("dialog", name="Xác nhận lần nữa")
    await h.expect(second).to_contain_text("Vì là thao tác quan trọng")
    await second.get_by_role("button", name="OK").click()
    done = page.get_by_role("dialog", name="Gửi xét duyệt thành công")
    await h.expect(done).to_be_visible()
    await h.expect(second).to_be_hidden()
    await h.assert_accessible(page, name="compensation-submitted")
    await h.screenshot(page, "compensation-submitted")
    await done.get_by_role("button", name="OK").click()
    await h.expect(row).to_contain_text("Đã yêu cầu: 1")
    await page.reload()  # step 10: the requests' state, then the package's list of them
    await row.get_by_role("link", name=package_name).click()
    await h.expect(request_row.get_by_test_id("compensation-status")).to_have_attribute("data-status", "submitted")
    await h.expect(page.get_by_role("button", name=re.compile("^Sửa lý do"))).to_have_count(0)
    await h.expect(page.get_by_role("button", name=re.compile("^Rút yêu cầu"))).to_have_count(0)

    # the reviewer: the queue, oldest first with its age; the batch's evidence; approve with a note
    review = await open_as(person(reviewer), "/compensation")
    await review.get_by_role("menuitem", name="Xét duyệt yêu cầu bù").click()  # the reviewer's own menu entry
    await h.expect(review.get_by_role("heading", name="Hàng chờ xét duyệt", level=1)).to_be_visible()
    batch_row = review.get_by_role("row").filter(has=review.get_by_role("link", name=package_name))
    await h.expect(batch_row.get_by_test_id("batch-status")).to_have_attribute("data-status", "submitted")
    await h.expect(batch_row).to_contain_text("phút")  # its age
    await h.assert_accessible(review, name="compensation-queue")
    await h.screenshot(review, "compensation-queue")
    await batch_row.get_by_role("link", name=package_name).click()
    await h.expect(review.get_by_role("heading", name=f"Đợt xét duyệt: {package_name}", level=1)).to_be_visible()
    card = review.get_by_test_id("review-request").filter(has_text=f"Khách Sai Số {tag}")
    await h.expect(card).to_contain_text("2 / 3")  # the calls counted from the history, and the minimum
    await h.expect(card).to_contain_text("Sai số: 2")  # by outcome
    await h.assert_accessible(review, name="compensation-batch")
    await h.screenshot(review, "compensation-batch")
    await card.get_by_role("button", name=f"Duyệt: Khách Sai Số {tag}").click()
    decision = review.get_by_role("dialog", name=f"Duyệt yêu cầu bù của Khách Sai Số {tag}")
    await decision.get_by_label("Ghi chú").fill("Đã kiểm tra: thông tin giả")
    await decision.get_by_role("button", name="Duyệt").click()
    await h.expect(card.get_by_test_id("compensation-status")).to_have_attribute("data-status", "approved")
    await h.expect(review.get_by_test_id("batch-status")).to_have_attribute("data-status", "completed")

    # the review times: the reviewer's own decision counted
    await review.get_by_role("link", name="Hàng chờ xét duyệt").click()
    await review.get_by_text("Thời gian xét duyệt", exact=True).click()
    await h.expect(review.get_by_role("row").filter(has_text=f"Người duyệt {tag}")).to_be_visible()
    await h.assert_accessible(review, name="compensation-review-times")
    await h.screenshot(review, "compensation-review-times")
    await review.goto(f"/compensation/packages/{package_id}")  # reviewers decide, they do not send
    await h.expect(review.get_by_role("heading", name=package_name, level=1)).to_be_visible()
    await h.expect(review.get_by_role("button", name="Gửi xét duyệt")).to_have_count(0)

    # the rep refreshes: approved, one credit, and the bell's notification leads to the package
    await page.reload()
    await h.expect(request_row.get_by_test_id("compensation-status")).to_have_attribute("data-status", "approved")
    await h.expect(request_row).to_contain_text("Đã kiểm tra: thông tin giả")
    await h.expect(page.get_by_test_id("package-counters")).to_contain_text(re.compile(r"Tín dụng bù\s*1"))
    await h.screenshot(page, "compensation-approved")
    bell = page.get_by_role("button", name=re.compile(r"^Thông báo: \d+ chưa đọc$"))
    await h.expect(bell).to_be_visible(timeout=30_000)
    await bell.click()
    notification = page.get_by_test_id("notification").filter(has_text="Yêu cầu bồi hoàn đã được duyệt").first
    await h.expect(notification).to_be_visible(timeout=30_000)
    await notification.get_by_role("button", name=re.compile("Yêu cầu bồi hoàn đã được duyệt")).click()
    await h.expect(page).to_have_url(re.compile(rf"/compensation/packages/{package_id}$"))


async def test_a_manager_creates_a_package_adds_leads_and_reads_its_credit(open_as, org, client, admin, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:6]
    manager, rep = org["manager"], org["rep2"]
    await new_customer(client, rep, f"Khách Của Gói {tag}")
    package_name = f"Gói hội chợ {tag}"

    page = await open_as(person(manager), "/compensation")
    await page.get_by_role("button", name="Tạo gói tài khoản").click()
    dialog = page.get_by_role("dialog", name="Tạo gói tài khoản")
    await dialog.get_by_label("Tên gói").fill(package_name)
    await dialog.get_by_label("Nhà cung cấp").fill(f"Nhà cung cấp {tag}")
    purchased = dialog.get_by_label("Ngày mua")
    await purchased.fill(dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y"))
    await purchased.press("Enter")
    await choose(page, h, dialog, "Lý do được bù", "Sai số điện thoại")
    await dialog.get_by_label("Tỷ lệ bù tối đa (%)").fill("100")  # one lead: at most 10% would allow none
    await dialog.get_by_label("Số cuộc gọi tối thiểu").fill("0")
    await h.assert_accessible(page, name="compensation-new-package")
    await h.screenshot(page, "compensation-new-package")
    await dialog.get_by_role("button", name="Lưu").click()
    await h.expect(page.get_by_role("heading", name=package_name, level=1)).to_be_visible()
    package_id = page.url.rsplit("/", 1)[-1]

    # a policy changed (If-Match), then the leads: one customer added with its delivery day
    await page.get_by_role("button", name="Sửa gói").click()
    edit = page.get_by_role("dialog", name="Sửa gói")
    await edit.get_by_label("Thời hạn yêu cầu (ngày)").fill("45")
    await edit.get_by_role("button", name="Lưu").click()
    await h.expect(page.get_by_text(re.compile("^Trong 45 ngày kể từ khi nhận"))).to_be_visible()
    await page.get_by_role("tab", name="Khách hàng của gói").click()
    await page.get_by_role("button", name="Thêm khách hàng vào gói").click()
    adding = page.get_by_role("dialog", name="Thêm khách hàng vào gói")
    await adding.get_by_label("Khách hàng").fill(f"Khách Của Gói {tag}")
    await page.get_by_title(re.compile(f"^Khách Của Gói {tag}")).last.click()
    await adding.get_by_role("button", name="Lưu").click()
    await h.expect(page.get_by_text(re.compile("^Đã thêm 1 khách hàng"))).to_be_visible(timeout=30_000)
    await h.expect(page.get_by_role("link", name=f"Khách Của Gói {tag}")).to_be_visible()
    await h.assert_accessible(page, name="compensation-leads")
    await h.screenshot(page, "compensation-leads")

    # the package's owner asks from the lead's row; sent and approved through the API: the ledger shows it
    await page.get_by_role("button", name=f"Yêu cầu bù ngay: Khách Của Gói {tag}").click()
    asking = page.get_by_role("dialog", name=f"Yêu cầu bù cho khách hàng Khách Của Gói {tag}")
    await choose(page, h, asking, "Lý do", "Sai số điện thoại")
    await asking.get_by_label("Lý do bù").fill("Số không tồn tại")
    await asking.get_by_role("button", name="Gửi yêu cầu bù").click()
    await h.confirm_ok(page.get_by_role("dialog", name="Xác nhận yêu cầu bù"))
    lead_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"Khách Của Gói {tag}"))
    await h.expect(lead_row.get_by_test_id("compensation-status")).to_have_attribute("data-status", "draft")
    requests = await client.get("/api/v1/compensation-requests", params={"package_id": package_id},
                                headers=manager["headers"])
    assert requests.status_code == 200, requests.text
    request_id = requests.json()["items"][0]["id"]
    shown = await client.post(f"/api/v1/lead-packages/{package_id}/review-submission",
                              headers={**manager["headers"], "Idempotency-Key": f"{tag}-1"})
    assert shown.status_code == 200, shown.text
    batch = await client.post("/api/v1/compensation-batches", headers={**manager["headers"], "Idempotency-Key": f"{tag}-2"},
                              json={"package_id": package_id, "confirmation_token": shown.json()["confirmation_token"]})
    assert batch.status_code == 201, batch.text
    decided = await client.post(f"/api/v1/compensation-requests/{request_id}/decision",
                                headers={**admin, "Idempotency-Key": f"{tag}-3"},
                                json={"decision": "approved", "note": "Đúng là sai số"})
    assert decided.status_code == 200, decided.text
    await page.reload()
    await page.get_by_role("tab", name="Sổ tín dụng bù").click()
    await h.expect(page.get_by_text("Tổng tín dụng bù: 1")).to_be_visible()
    await h.expect(page.get_by_role("link", name=f"Khách Của Gói {tag}")).to_be_visible()
    await h.assert_accessible(page, name="compensation-credits")
    await h.screenshot(page, "compensation-credits")

    # the request's history: created, submitted, approved with the reviewer's note
    await page.get_by_role("tab", name="Khách hàng đã yêu cầu bù").click()
    await page.get_by_role("button", name=re.compile("Mở rộng|Expand")).first.click()
    await h.expect(page.get_by_text("Đúng là sai số").last).to_be_visible()


async def test_a_rep_edits_and_withdraws_drafts_before_sending(open_as, org, client, admin, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:6]
    rep = await new_user(client, admin, username=f"comp.drafts.{tag}", full_name=f"Nhân viên nháp {tag}",
                         unit_id=org["team"], roles=["sales"])
    package = await client.post("/api/v1/lead-packages", headers={**org["manager"]["headers"], "Idempotency-Key": tag},
                                json={"name": f"Gói nháp {tag}", "provider": f"Nguồn {tag}", "owner_id": rep["id"],
                                      "purchased_at": dt.datetime.now(dt.UTC).isoformat(),
                                      "policy": {"reasons": ["fake_information", "duplicate"], "window_days": 30,
                                                 "max_share": 1, "min_call_attempts": 0}})
    assert package.status_code == 201, package.text
    package_id = package.json()["id"]
    kept = await new_customer(client, rep, f"Khách Giữ {tag}")
    dropped = await new_customer(client, rep, f"Khách Rút {tag}")

    async def requested(customer):
        answer = await client.post("/api/v1/lead-packages/" + package_id + "/leads", headers=org["manager"]["headers"],
                                   json={"customer_ids": [customer["id"]], "delivered_at": dt.datetime.now(dt.UTC).isoformat()})
        assert answer.status_code == 200, answer.text
        made = await client.post("/api/v1/compensation-requests", headers=rep["headers"],
                                 json={"customer_id": customer["id"], "reason_code": "fake_information",
                                       "reason_text": "Tên giả"})
        assert made.status_code in (201, 422), made.text
        return made.status_code == 201 or None
    for customer in (kept, dropped):
        await eventually(lambda customer=customer: requested(customer), timeout=30)

    page = await open_as(person(rep), f"/compensation/packages/{package_id}")
    kept_row = page.get_by_test_id("request-item").filter(has=page.get_by_role("link", name=f"Khách Giữ {tag}"))
    dropped_row = page.get_by_test_id("request-item").filter(has=page.get_by_role("link", name=f"Khách Rút {tag}"))
    await kept_row.get_by_role("button", name=f"Sửa lý do: Khách Giữ {tag}").click()
    edit = page.get_by_role("dialog", name="Sửa yêu cầu bù")
    await choose(page, h, edit, "Lý do", "Trùng khách hàng")
    await edit.get_by_label("Lý do bù").fill("Trùng với khách đã mua tháng trước")
    await h.assert_accessible(page, name="compensation-edit")
    await edit.get_by_role("button", name="Lưu").click()
    await h.expect(kept_row).to_contain_text("Trùng với khách đã mua tháng trước")
    await h.expect(kept_row).to_contain_text("Trùng khách hàng")

    await dropped_row.get_by_role("button", name=f"Rút yêu cầu: Khách Rút {tag}").click()
    await h.confirm_ok(page.get_by_role("dialog", name="Rút yêu cầu"))
    await h.expect(page.get_by_text("Đã rút yêu cầu bù")).to_be_visible()
    await page.get_by_title("Chưa gửi xét duyệt", exact=True).click()  # the state filter: drafts only
    await h.expect(dropped_row).to_have_count(0)
    await h.expect(kept_row.get_by_test_id("compensation-status")).to_have_attribute("data-status", "draft")
    await page.get_by_title("Tất cả", exact=True).click()
    await h.expect(dropped_row.get_by_test_id("compensation-status")).to_have_attribute("data-status", "withdrawn")
    english = await open_as(person(rep), f"/compensation/packages/{package_id}", language="en")
    await h.expect(english.get_by_role("heading", name=f"Gói nháp {tag}", level=1)).to_be_visible()
    await h.expect(english.get_by_role("button", name="Send for review")).to_be_visible()
    await h.expect(english.get_by_test_id("request-item").filter(has_text="Duplicate lead")).to_be_visible()
