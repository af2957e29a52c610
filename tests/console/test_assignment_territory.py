"""Territories and "all matching the filter" in a real browser (issue 13, A-3): an admin maps a province
to the team's branch on "Địa bàn" (GET/PUT/DELETE /territories, one row saved at a time); a manager
selects every customer matching the list's search - more than one page - and gives them "Theo địa
bàn tỉnh/thành" to a rep of that branch: the filter goes to POST /assignments, and the answer's
matched / assigned / uncovered (a customer without a province) are shown. The province's previous
mapping is put back at the end (the territories are shared by every test)."""
from __future__ import annotations

import asyncio
import re
import uuid

from e2e_support import choose, fresh_rep, person, random_mobile

PROVINCE = 12  # Lai Châu
PROVINCE_NAME = "Lai Châu"
MATCHING = 51  # one more than the list's page: "Chọn tất cả 51 khách hàng phù hợp"


async def new_customers(client, manager: dict, tag: str) -> None:
    bodies = [{"name": f"Khách địa bàn {i:02d} {tag}", "phone": random_mobile(), "province": PROVINCE}
              for i in range(MATCHING - 1)] + [{"name": f"Khách chưa rõ tỉnh {tag}", "phone": random_mobile()}]
    for start in range(0, len(bodies), 10):
        made = await asyncio.gather(*(client.post("/api/v1/customers", headers=manager["headers"], json=body)
                                      for body in bodies[start:start + 10]))
        assert all(r.status_code == 201 for r in made), [r.text for r in made if r.status_code != 201]


async def test_territories_then_all_matching_by_province(open_as, org, client, console_helpers, admin, admin_person):
    h = console_helpers
    tag = uuid.uuid4().hex[:8]
    manager = org["manager"]
    rep = await fresh_rep(client, org, "Sale Dung")
    branch = (await client.get(f"/api/v1/units/{org['branch']}", headers=admin)).json()["name"]
    before = next(t for t in (await client.get("/api/v1/territories", headers=admin)).json()["items"]
                  if t["province_code"] == PROVINCE)
    await new_customers(client, manager, tag)
    try:
        page = await open_as(admin_person, "/assignments")
        await page.get_by_role("tab", name="Địa bàn").click()
        await h.expect(page).to_have_url(re.compile("/assignments/territories$"))
        await page.get_by_label("Tìm tỉnh/thành").fill("lai chau")  # accents optional
        row = page.get_by_role("row", name=re.compile(PROVINCE_NAME))
        await h.expect(page.get_by_role("row")).to_have_count(2)  # the header and Lai Châu
        unit = row.get_by_label(f"Đơn vị phụ trách {PROVINCE_NAME}")
        await unit.fill(branch)
        await unit.press("Enter")
        await row.get_by_role("button", name=f"Lưu địa bàn {PROVINCE_NAME}").click()
        await h.expect(page.get_by_text(f"Thành công: {PROVINCE_NAME} do {branch} phụ trách")).to_be_visible()
        await h.expect(row.get_by_role("button", name=f"Bỏ gán {PROVINCE_NAME}")).to_be_visible()
        await page.get_by_label("Tìm tỉnh/thành").fill("")
        await h.assert_accessible(page, name="territories")
        await h.screenshot(page, "territories")

        manager_page = await open_as(person(manager), "/customers")
        await manager_page.get_by_label("Tìm kiếm khách hàng").fill(tag)
        await manager_page.get_by_label("Tìm kiếm khách hàng").press("Enter")
        await h.expect(manager_page.get_by_test_id("customer-total")).to_contain_text(f"{MATCHING} khách hàng")
        await manager_page.get_by_label("Chọn tất cả khách hàng đang hiển thị").check()
        await manager_page.get_by_role("button", name=f"Chọn tất cả {MATCHING} khách hàng phù hợp").click()
        await manager_page.get_by_role("button", name="Giao sale chăm sóc").click()
        dialog = manager_page.get_by_role("dialog")
        await h.expect(dialog.get_by_test_id("assign-matching")).to_contain_text(
            f"Tất cả {MATCHING} khách hàng phù hợp bộ lọc hiện tại")
        await dialog.get_by_text("Tạo công việc mới").click()
        await dialog.get_by_label("Nội dung công việc").fill(f"Chia theo địa bàn {tag}")
        await dialog.get_by_label("Loại công việc").fill("Chăm sóc")
        await choose(manager_page, h, dialog, "Phương thức chia", "Theo địa bàn tỉnh/thành")
        await h.expect(dialog).to_contain_text("không được giao và được báo lại")
        reps = dialog.get_by_label("Chọn sale chăm sóc")
        await reps.fill(rep["username"])
        await reps.press("Enter")
        await dialog.get_by_text("Nội dung giao việc", exact=True).click()
        await h.expect(dialog.get_by_test_id("assign-sum")).to_have_count(0)  # the service splits
        await dialog.get_by_label("Giao trực tiếp không cần sale xác nhận").check()
        await h.expect(dialog.get_by_label("Thời gian sale phải xác nhận")).to_have_count(0)  # nothing to accept
        await h.assert_accessible(manager_page, name="assign-by-filter")
        await h.screenshot(manager_page, "assign-by-filter")
        await dialog.get_by_role("button", name="Giao việc").click()
        result = dialog.get_by_test_id("assign-result")
        await h.expect(result).to_contain_text(f"Khách hàng phù hợp{MATCHING}")
        await h.expect(result).to_contain_text(f"Đã giao{MATCHING - 1}")
        await h.expect(result).to_contain_text("Không có sale phụ trách (chưa giao)1")
        await h.assert_accessible(manager_page, name="assign-result")
        await h.screenshot(manager_page, "assign-result")
        await dialog.get_by_role("button", name="Đóng").last.click()  # the footer's, not the corner's ×
        await h.expect(dialog).to_be_hidden()
        mine = (await client.get("/api/v1/assignments?scope=mine", headers=rep["headers"])).json()["items"]
        assert [(a["customer_count"], a["direct"]) for a in mine] == [(MATCHING - 1, True)]

        await row.get_by_role("button", name=f"Bỏ gán {PROVINCE_NAME}").click()
        await h.expect(page.get_by_text(f"Thành công: {PROVINCE_NAME} chưa gán đơn vị")).to_be_visible()
    finally:
        if before["unit_id"]:
            await client.put(f"/api/v1/territories/{PROVINCE}", headers=admin, json={"unit_id": before["unit_id"]})
        else:
            await client.delete(f"/api/v1/territories/{PROVINCE}", headers=admin)
