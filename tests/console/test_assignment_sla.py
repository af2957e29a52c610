"""Speed-to-lead in a real browser (issue 13, A-6): a lead handed directly to a rep under a job with an
SLA; the rep, signed in on the lead's page, sees its contact deadline counting down, then the
warning arrive in the bell without a reload while the deadline's tag turns to a warning; the
notification opens the assignment. Past the deadline the sweeper recalls the lead and the manager's
timeline says why. The test stack's SLA minute lasts 2 s (CRM_ASSIGNMENT_SLA_MINUTE_SECONDS=2):
sla_minutes 30 and a warning 12 minutes before give the warning 36 s and the recall 60 s after the
hand-over: time enough for the rep's page to show the deadline in time first, even on a loaded machine."""
from __future__ import annotations

import re
import uuid

from e2e_support import fresh_rep, known_customers, person

SLA_MINUTES = 30
WARN_BEFORE = 12
SWEEP_WAIT = 90_000  # ms: the warning and the recall come from the sweeper (every second) on a loaded machine


async def test_an_sla_warning_shows_live_then_the_missed_deadline_recalls(open_as, org, client, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:8]
    manager = org["manager"]
    rep = await fresh_rep(client, org, "Sale Chi")
    name = f"Khách nóng {tag}"
    [customer_id] = await known_customers(client, manager, rep, [name])

    page = await open_as(person(rep), "/assignments")  # signed in: the bell's stream is open
    bell = page.get_by_test_id("notification-count")
    await h.expect(bell).to_have_attribute("data-count", "0")
    text = f"Gọi ngay khách nóng {tag}"
    made = await client.post("/api/v1/assignments", headers=manager["headers"], json={
        "customer_ids": [customer_id], "text": text, "direct": True,
        "job": {"content": f"Lead nóng {tag}", "type": "telesales", "sla_minutes": SLA_MINUTES,
                "warn_before_minutes": WARN_BEFORE},
        "quantities": [{"user_id": rep["id"], "count": 1}]})
    assert made.status_code == 201, made.text
    [assignment] = made.json()["assignments"]

    await page.goto(f"/customers/{customer_id}")
    await h.expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    deadline = page.get_by_test_id("lead-sla").get_by_test_id("sla-tag")
    await h.expect(deadline).to_have_attribute("data-state", "ok")
    await h.expect(deadline).to_contain_text("hạn liên hệ")
    await h.assert_accessible(page, name="lead-sla")
    await h.screenshot(page, "lead-sla")

    await h.expect(bell).to_have_attribute("data-count", "1")  # "Bạn được giao 1 khách hàng"
    # the warning arrives through the notification stream: no reload from here on
    await h.expect(bell).to_have_attribute("data-count", "2", timeout=SWEEP_WAIT)
    await h.expect(deadline).to_have_attribute("data-state", re.compile("warning|overdue"))
    await h.expect(deadline).to_contain_text(re.compile("Sắp quá hạn liên hệ|Quá hạn liên hệ"))
    await h.screenshot(page, "lead-sla-warning")

    await page.get_by_role("button", name="Thông báo: 2 chưa đọc").click()
    warning = page.get_by_test_id("notification").filter(has_text="sắp bị thu hồi do chưa liên hệ")
    await h.expect(warning).to_contain_text("1 khách hàng sắp bị thu hồi do chưa liên hệ")
    await warning.get_by_role("button", name=re.compile("sắp bị thu hồi")).click()
    await h.expect(page).to_have_url(re.compile(f"/assignments/{assignment['id']}$"))
    await h.expect(page.get_by_role("heading", name=text, level=1)).to_be_visible()
    lead = page.get_by_role("table", name="Khách hàng của giao việc").get_by_test_id("sla-tag")
    await h.expect(lead).to_have_attribute("data-state", re.compile("warning|overdue|closed"))

    # past the deadline: recalled by the sweeper (no other rep in the job: back to the manager)
    await h.expect(lead).to_have_attribute("data-state", "closed", timeout=SWEEP_WAIT)
    await h.expect(lead).to_have_text("Thu hồi do quá hạn liên hệ (SLA)")
    await h.assert_accessible(page, name="assignment-sla")
    await h.screenshot(page, "assignment-sla")

    history = await open_as(person(manager), f"/customers/{customer_id}/history")
    recalled = history.get_by_test_id("timeline-entry").filter(has=history.get_by_test_id("recall-cause"))
    await h.expect(recalled).to_contain_text("Thu hồi do quá hạn liên hệ (SLA)", timeout=SWEEP_WAIT)
    await h.screenshot(history, "timeline-sla-recall")
