"""A customer's record in a real browser: the create / edit form (built-in fields, an admin's
attribute, the API's field errors, seed 004's "Số điện thoại đã tồn tại" with a link, an edit that
meets a colleague's change), seed 000's status update with a note and its confirmation, the
viewers of seed 003 and its referral tree."""
from __future__ import annotations

import re
import uuid

from e2e_support import PASSWORD, eventually


def person(user: dict) -> dict:
    return {"username": user["username"], "password": PASSWORD}


def phone() -> str:
    return f"098{uuid.uuid4().int % 10**7:07d}"  # 098: a mobile prefix in use (095 is not)


async def new_customer(client, user: dict, **fields) -> dict:
    body = {"name": f"Khách {uuid.uuid4().hex[:6]}", "phone": phone(), **fields}
    response = await client.post("/api/v1/customers", headers=user["headers"], json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def pick(page, label: str, search: str, option: str | re.Pattern) -> None:
    """Choose in an antd Select: type in the box named `label`, then click the option titled `option`."""
    await page.get_by_label(label).fill(search)
    await page.get_by_title(option).last.click()


async def test_create_a_customer_with_an_attribute_the_api_errors_and_a_duplicate_phone(
        open_as, org, client, admin, console_helpers):
    h = console_helpers
    rep = org["rep"]
    key = f"e2e_{uuid.uuid4().hex[:10]}"
    made = await client.post("/api/v1/customer-attributes", headers=admin, json={
        "key": key, "name": f"Sở thích {key[-4:]}", "type": "text", "display_order": 1})
    assert made.status_code == 201, made.text
    attribute = made.json()
    existing = await new_customer(client, rep)
    created: dict | None = None
    try:
        page = await open_as(person(rep), "/customers/new")
        await h.expect(page.get_by_role("heading", name="Thêm mới khách hàng", level=1)).to_be_visible()
        await h.expect(page.get_by_role("heading", name="Chân dung khách hàng")).to_be_visible()
        await h.assert_accessible(page, name="customer-form")
        await h.screenshot(page, "customer-form")

        name = f"Khách Form {uuid.uuid4().hex[:6]}"
        await page.get_by_label("Tên khách hàng").fill(name)
        await page.get_by_label("Số điện thoại").fill(existing["phone"])
        await page.get_by_label("Email").fill("khong-phai-email")
        await page.get_by_label("Ngày sinh").fill("01/05/1990")
        await page.get_by_label("Ngày sinh").press("Enter")
        await pick(page, "Tỉnh/Thành phố", "ha noi", "Thành phố Hà Nội")  # accents optional
        await page.get_by_label(attribute["name"]).fill("Chơi golf")
        await page.get_by_role("button", name="Lưu").click()

        # the API's message, on its field
        await h.expect(page.get_by_text("Email không hợp lệ.")).to_be_visible()
        await h.expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")

        await page.get_by_label("Email").fill("khach.form@example.com")
        await page.get_by_role("button", name="Lưu").click()
        alert = page.get_by_role("alert").filter(has_text="Số điện thoại đã tồn tại")
        await h.expect(alert).to_be_visible()
        link = alert.get_by_role("link", name="Xem khách hàng đã có")
        await h.expect(link).to_have_attribute("href", f"/customers/{existing['id']}")
        await h.expect(page.get_by_label("Số điện thoại")).to_have_attribute("aria-invalid", "true")

        await page.get_by_label("Số điện thoại").fill(phone())
        await page.get_by_role("button", name="Lưu").click()
        await h.expect(page.get_by_text("Thêm mới thành công")).to_be_visible()
        await h.expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
        created_id = page.url.rstrip("/").split("/")[-1]
        created = (await client.get(f"/api/v1/customers/{created_id}", headers=rep["headers"])).json()
        assert created["email"] == "khach.form@example.com"
        assert created["birthday"] == "1990-05-01"
        assert created["province"]["code"] == 1
        assert created["attributes"][key] == "Chơi golf"

        await page.get_by_role("tab", name="Chân dung khách hàng").click()
        await h.expect(page).to_have_url(re.compile(rf"/customers/{created_id}/portrait$"))
        await h.expect(page.get_by_text("Chơi golf")).to_be_visible()
        await page.get_by_role("button", name="Cập nhật chân dung").click()
        await page.get_by_label(attribute["name"]).fill("Đọc sách")
        await page.get_by_role("button", name="Lưu").click()
        await h.expect(page.get_by_text("Đọc sách")).to_be_visible()
        created = (await client.get(f"/api/v1/customers/{created_id}", headers=rep["headers"])).json()
        assert created["attributes"][key] == "Đọc sách"
    finally:
        if created is not None:  # an attribute with values cannot be deleted
            cleared = await client.patch(f"/api/v1/customers/{created['id']}", json={"attributes": {key: None}},
                                         headers={**rep["headers"], "If-Match": f'"{created["version"]}"'})
            assert cleared.status_code == 200, cleared.text
        deleted = await client.delete(f"/api/v1/customer-attributes/{attribute['id']}", headers=admin)
        assert deleted.status_code == 204, deleted.text


async def test_an_organisation_shows_its_fields_and_the_api_refuses_a_bad_tax_code(open_as, org, console_helpers):
    h = console_helpers
    page = await open_as(person(org["rep"]), "/customers/new")
    await h.expect(page.get_by_label("Quy mô tổ chức")).to_have_count(0)
    await page.get_by_label("Kiểu khách hàng").click()
    await page.get_by_title("Tổ chức").last.click()
    await h.expect(page.get_by_role("heading", name="Thông tin tổ chức")).to_be_visible()
    await h.expect(page.get_by_label("Ngày thành lập")).to_be_visible()
    await page.get_by_label("Tên khách hàng").fill(f"Công ty {uuid.uuid4().hex[:6]}")
    await page.get_by_label("Số điện thoại").fill(phone())
    await page.get_by_label("Mã số thuế").fill("123")
    await page.get_by_label("Lĩnh vực").fill("Bán lẻ")
    await page.get_by_role("button", name="Lưu").click()
    await h.expect(page.get_by_label("Mã số thuế")).to_have_attribute("aria-invalid", "true")
    await h.expect(page).to_have_url(re.compile("/customers/new$"))


async def test_the_form_and_the_detail_on_a_phone(open_as, org, client, console_helpers):
    h = console_helpers
    page = await open_as(person(org["rep"]), "/customers/new", phone=True)
    await h.expect(page.get_by_role("heading", name="Thêm mới khách hàng", level=1)).to_be_visible()
    name_box = await page.get_by_label("Tên khách hàng").bounding_box()
    phone_box = await page.get_by_label("Số điện thoại").bounding_box()
    assert phone_box["y"] > name_box["y"] + name_box["height"]  # under it, not beside it
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await h.assert_accessible(page, name="customer-form-phone")
    await h.screenshot(page, "customer-form-phone")

    customer = await new_customer(client, org["rep"])
    await page.goto(f"/customers/{customer['id']}")
    await h.expect(page.get_by_role("heading", name=customer["name"], level=1)).to_be_visible()
    await h.expect(page.get_by_role("button", name="Cập nhật trạng thái")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await h.assert_accessible(page, name="customer-detail-phone")
    await h.screenshot(page, "customer-detail-phone")
    await page.get_by_label("Mục").click()  # the tabs, as a list that fits a phone
    await page.get_by_title("Người xem").last.click()
    await h.expect(page).to_have_url(re.compile(rf"/customers/{customer['id']}/viewers$"))
    await h.expect(page.get_by_role("heading", name="Người xem")).to_be_visible()


async def test_an_edit_that_meets_a_colleagues_change_shows_both_and_reloads(open_as, org, client, console_helpers):
    h = console_helpers
    rep = org["rep"]
    customer = await new_customer(client, rep, email="cu@example.com")
    page = await open_as(person(rep), f"/customers/{customer['id']}")
    await page.get_by_role("button", name="Sửa").click()
    await h.expect(page.get_by_role("heading", name=re.compile("^Cập nhật thông tin"), level=1)).to_be_visible()
    await h.expect(page.get_by_label("Email")).to_have_value("cu@example.com")
    await page.get_by_label("Email").fill("cua-toi@example.com")

    meanwhile = await client.patch(f"/api/v1/customers/{customer['id']}", json={"email": "dong-nghiep@example.com"},
                                   headers={**rep["headers"], "If-Match": f'"{customer["version"]}"'})
    assert meanwhile.status_code == 200, meanwhile.text

    await page.get_by_role("button", name="Lưu").click()
    conflict = page.get_by_role("alert").filter(has_text="Khách hàng đã được người khác thay đổi")
    await h.expect(conflict).to_be_visible()
    row = conflict.get_by_role("row").filter(has_text="Email")
    await h.expect(row).to_contain_text("cua-toi@example.com")
    await h.expect(row).to_contain_text("dong-nghiep@example.com")
    await h.assert_accessible(page, name="customer-edit-conflict")
    await h.screenshot(page, "customer-edit-conflict")

    await conflict.get_by_role("button", name="Tải lại bản mới").click()
    await h.expect(conflict).to_have_count(0)
    await h.expect(page.get_by_label("Email")).to_have_value("dong-nghiep@example.com")
    await page.get_by_label("Địa chỉ thường trú").fill("12 Lý Thái Tổ, Hoàn Kiếm")
    await page.get_by_role("button", name="Lưu").click()
    await h.expect(page.get_by_text("Cập nhật thông tin thành công")).to_be_visible()
    await h.expect(page.get_by_role("heading", name=customer["name"], level=1)).to_be_visible()
    saved = (await client.get(f"/api/v1/customers/{customer['id']}", headers=rep["headers"])).json()
    assert (saved["email"], saved["address"]) == ("dong-nghiep@example.com", "12 Lý Thái Tổ, Hoàn Kiếm")


async def test_seed_000_status_update_with_a_note_and_its_confirmation(open_as, org, client, console_helpers):
    h = console_helpers
    rep = org["rep"]
    customer = await new_customer(client, rep, birthday="1985-12-24", gender="female")
    page = await open_as(person(rep), f"/customers/{customer['id']}")
    await h.expect(page.get_by_role("heading", name=customer["name"], level=1)).to_be_visible()
    await h.expect(page.get_by_role("link", name=re.compile("Gọi"))).to_have_attribute("href", f"tel:{customer['phone']}")
    await h.expect(page.get_by_text("24/12/1985")).to_be_visible()  # dd/mm/yyyy
    await h.expect(page.get_by_test_id("customer-status")).to_have_text("Mới")
    await h.assert_accessible(page, name="customer-detail-general")
    await h.screenshot(page, "customer-detail-general")

    await page.get_by_role("button", name="Cập nhật trạng thái").click()
    dialog = page.get_by_role("dialog", name="Cập nhật trạng thái")
    await dialog.get_by_label("Chọn tình trạng khách hàng").click()
    await page.get_by_title("Tiềm năng").last.click()
    note = f"Khách hẹn gọi lại {uuid.uuid4().hex[:4]}"
    await dialog.get_by_label("Nhập ghi chú cho tình trạng").fill(note)
    await dialog.get_by_role("button", name="Cập nhật ngay").click()

    await h.assert_accessible(page, name="customer-status-update")
    await h.screenshot(page, "customer-status-update")
    confirm = page.get_by_role("dialog").filter(has_text="Bạn có chắc chắn cập nhật trạng thái")
    await h.expect(confirm).to_contain_text("Tiềm năng")
    await h.expect(page.get_by_test_id("customer-status")).to_have_text("Mới")  # nothing until OK
    await confirm.get_by_role("button", name="OK").click()
    await h.expect(page.get_by_text("Cập nhật trạng thái thành công")).to_be_visible()
    await h.expect(page.get_by_test_id("customer-status")).to_have_text("Tiềm năng")

    async def entry():
        timeline = await client.get(f"/api/v1/customers/{customer['id']}/timeline", headers=rep["headers"])
        return [item for item in timeline.json()["items"]
                if item["type"] == "classified" and item["note"] == note and item["data"]["to"] == "potential"]
    assert await eventually(entry)


async def test_viewers_added_and_removed_by_who_may_edit_read_by_the_others(open_as, org, client, console_helpers):
    h = console_helpers
    rep, rep2 = org["rep"], org["rep2"]
    customer = await new_customer(client, rep)
    page = await open_as(person(rep), f"/customers/{customer['id']}/viewers")
    await h.expect(page.get_by_text("Chưa có người xem")).to_be_visible()
    await pick(page, "Chọn nhân viên", rep2["username"], re.compile("^Người dùng rep2"))
    await page.get_by_role("button", name="Thêm mới").click()
    remove = page.get_by_role("button", name="Xóa người xem Người dùng rep2")
    await h.expect(remove).to_be_visible()
    viewers = await client.get(f"/api/v1/customers/{customer['id']}/viewers", headers=rep["headers"])
    assert viewers.json() == [rep2["id"]]

    colleague = await open_as(person(rep2), f"/customers/{customer['id']}/viewers")
    # the viewer's line (the page's header names the signed-in rep2 too, once it has loaded)
    await h.expect(colleague.get_by_role("heading", name="Người dùng rep2")).to_be_visible()
    await h.expect(colleague.get_by_text("Bạn cần có quyền sửa khách hàng")).to_be_visible()
    await h.expect(colleague.get_by_role("button", name="Thêm mới")).to_have_count(0)
    await h.expect(colleague.get_by_role("button", name="Cập nhật trạng thái")).to_have_count(0)
    manager = await open_as(person(org["manager"]), f"/customers/{customer['id']}/viewers")  # above the owner's unit
    await h.expect(manager.get_by_role("button", name="Cập nhật trạng thái")).to_be_visible()
    await h.expect(manager.get_by_label("Chọn nhân viên")).to_be_visible()

    await remove.click()
    await h.expect(page.get_by_text("Chưa có người xem")).to_be_visible()
    viewers = await client.get(f"/api/v1/customers/{customer['id']}/viewers", headers=rep["headers"])
    assert viewers.json() == []


async def test_the_referral_tree_links_the_referred_customers(open_as, org, client, console_helpers):
    h = console_helpers
    rep = org["rep"]
    root = await new_customer(client, rep)
    child = await new_customer(client, rep, referred_by=root["id"])
    grandchild = await new_customer(client, rep, referred_by=child["id"])
    page = await open_as(person(rep), f"/customers/{root['id']}/referrals")
    await h.expect(page.get_by_role("heading", name="Khách hàng được giới thiệu")).to_be_visible()
    await h.expect(page.get_by_role("link", name=grandchild["name"])).to_be_visible()
    await h.assert_accessible(page, name="customer-referrals")
    await h.screenshot(page, "customer-referrals")
    await page.get_by_role("link", name=child["name"]).click()
    await h.expect(page.get_by_role("heading", name=child["name"], level=1)).to_be_visible()
    assert page.url.endswith(f"/customers/{child['id']}")


async def test_an_edit_that_meets_a_colleagues_change_can_keep_its_own_values(open_as, org, client, console_helpers):
    h = console_helpers
    rep = org["rep"]
    customer = await new_customer(client, rep, email="cu@example.com", address="Địa chỉ cũ")
    page = await open_as(person(rep), f"/customers/{customer['id']}/edit")
    await page.get_by_label("Email").fill("cua-toi@example.com")
    meanwhile = await client.patch(f"/api/v1/customers/{customer['id']}", json={"address": "Địa chỉ mới"},
                                   headers={**rep["headers"], "If-Match": f'"{customer["version"]}"'})
    assert meanwhile.status_code == 200, meanwhile.text
    await page.get_by_role("button", name="Lưu").click()
    conflict = page.get_by_role("alert").filter(has_text="Khách hàng đã được người khác thay đổi")
    await h.expect(conflict.get_by_role("row").filter(has_text="Địa chỉ thường trú")).to_contain_text("Địa chỉ mới")
    await conflict.get_by_role("button", name="Giữ bản của tôi và lưu").click()
    await h.expect(page.get_by_text("Cập nhật thông tin thành công")).to_be_visible()
    saved = (await client.get(f"/api/v1/customers/{customer['id']}", headers=rep["headers"])).json()
    # what I changed is mine, what only my colleague changed stays theirs
    assert (saved["email"], saved["address"]) == ("cua-toi@example.com", "Địa chỉ mới")
