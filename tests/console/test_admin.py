"""Administration in a real browser (Quản trị; seed 004's "Dữ liệu khách hàng" and "Nhóm khách
hàng"): units, users, attributes, labels, groups and API keys by an admin; anyone else gets the
not-found page. Configuration made here has unique names and is deleted at the end."""
from __future__ import annotations

import re
import uuid

from e2e_support import PASSWORD, random_mobile


def person(user: dict) -> dict:
    return {"username": user["username"], "password": PASSWORD}


def row(page, text: str):
    return page.get_by_role("row", name=re.compile(re.escape(text)))


async def test_an_admin_adds_a_unit_and_a_sales_rep_in_it_then_deactivates_the_rep(open_as, admin_person, org, client, admin,
                                                                                  console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:6]
    branch = (await client.get(f"/api/v1/units/{org['branch']}", headers=admin)).json()
    unit_name = f"Tổ kinh doanh {tag}"
    username = f"sale.{tag}"

    page = await open_as(admin_person, "/admin/units")
    await h.expect(page.get_by_role("heading", name="Đơn vị", level=1)).to_be_visible()
    await page.get_by_label("Tìm đơn vị").fill(branch["name"])
    await page.get_by_role("tree").get_by_text(branch["name"], exact=True).click()
    await h.expect(page.get_by_label("Tên", exact=True)).to_have_value(branch["name"])
    await page.get_by_role("button", name="Thêm đơn vị con").click()
    dialog = page.get_by_role("dialog", name=f"Thêm đơn vị con của {branch['name']}")
    await dialog.get_by_label("Tên", exact=True).fill(unit_name)
    await dialog.get_by_role("button", name="Lưu").click()
    await h.expect(page.get_by_text("Thêm mới thành công").first).to_be_visible()
    await h.expect(page.get_by_role("tree").get_by_text(unit_name, exact=True)).to_be_visible()
    await h.expect(page.get_by_label("Tên", exact=True)).to_have_value(unit_name)  # the new unit is selected
    units = (await client.get("/api/v1/units", params={"parent_id": org["branch"]}, headers=admin)).json()["items"]
    [unit] = [u for u in units if u["name"] == unit_name]
    await h.assert_accessible(page, name="admin-units")
    await h.screenshot(page, "admin-units")

    # someone renames it meanwhile: moving it (up under the company) with the version read first is
    # refused (412); reload, move again
    company = (await client.get("/api/v1/units", params={"kind": "company"}, headers=admin)).json()["items"][0]
    renamed = await client.patch(f"/api/v1/units/{unit['id']}", headers={**admin, "If-Match": '"1"'},
                                 json={"name": f"{unit_name} bis"})
    assert renamed.status_code == 200, renamed.text
    await move_unit_under(page, h, company["name"])
    conflict = page.get_by_role("dialog", name="Dữ liệu đã thay đổi")
    await h.expect(conflict).to_contain_text("người khác thay đổi")
    await conflict.get_by_role("button", name="Tải lại").click()
    await h.expect(page.get_by_label("Tên", exact=True)).to_have_value(f"{unit_name} bis")
    await move_unit_under(page, h, company["name"])
    await h.expect(page.get_by_text("Đã lưu").first).to_be_visible()
    moved = (await client.get(f"/api/v1/units/{unit['id']}", headers=admin)).json()
    assert (moved["parent_id"], moved["version"]) == (company["id"], 3)
    unit_name = moved["name"]

    await page.get_by_role("menuitem", name="Người dùng").click()
    await h.expect(page.get_by_role("heading", name="Người dùng", level=1)).to_be_visible()
    await page.get_by_role("button", name="Thêm người dùng").click()
    dialog = page.get_by_role("dialog", name="Thêm người dùng")
    await dialog.get_by_label("Tên đăng nhập").fill(username)
    await dialog.get_by_label("Họ và tên").fill(f"Nhân viên {tag}")
    await dialog.get_by_label("Mật khẩu").fill(username)  # the username as password: weak
    await dialog.get_by_label("Đơn vị").fill(unit_name)
    await page.get_by_role("tree").get_by_text(unit_name, exact=True).click()
    await dialog.get_by_label("Nhân viên kinh doanh").check()
    await dialog.get_by_role("button", name="Lưu").click()
    await h.expect(dialog.get_by_text("khác tên đăng nhập")).to_be_visible()  # weak_password on its field
    await dialog.get_by_label("Mật khẩu").fill(PASSWORD)
    await dialog.get_by_role("button", name="Lưu").click()
    await h.expect(page.get_by_text("Thêm mới thành công").first).to_be_visible()
    await h.expect(dialog).to_be_hidden()

    await page.get_by_label("Tìm kiếm").fill(username)
    await page.get_by_label("Tìm kiếm").press("Enter")
    user_row = row(page, username)
    await h.expect(user_row).to_contain_text(unit_name)
    await h.expect(user_row).to_contain_text("Nhân viên kinh doanh")
    await h.expect(user_row).to_contain_text("Đang hoạt động")
    created = (await client.get("/api/v1/users", params={"q": username}, headers=admin)).json()["items"]
    assert [(u["unit_id"], u["roles"]) for u in created] == [(unit["id"], ["sales"])]
    await h.assert_accessible(page, name="admin-users")
    await h.screenshot(page, "admin-users")

    await user_row.get_by_role("button", name=f"Sửa {username}").click()
    dialog = page.get_by_role("dialog", name=f"Sửa người dùng {username}")
    await dialog.get_by_label("Quản lý").check()
    await dialog.get_by_role("button", name="Lưu").click()
    await h.expect(user_row).to_contain_text("Quản lý")

    await user_row.get_by_role("button", name=f"Khóa tài khoản {username}").click()
    await page.get_by_role("button", name="Xác nhận").click()
    await h.expect(page.get_by_text("Đã khóa tài khoản").first).to_be_visible()
    await h.expect(user_row).to_have_count(0)  # the list shows active accounts
    await page.get_by_label("Hiện cả tài khoản đã khóa").click()
    await h.expect(row(page, username)).to_contain_text("Đã khóa")
    gone = await client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert gone.status_code == 401


async def move_unit_under(page, h, parent_name: str) -> None:
    await page.get_by_label("Đơn vị cha").fill(parent_name)
    await page.get_by_role("tree").last.get_by_text(parent_name, exact=True).click()  # the picker's tree
    await page.get_by_role("button", name="Lưu").click()


async def test_labels_and_groups_are_added_and_deleted(open_as, admin_person, client, admin, console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:6]
    label, group = f"Nhãn thử {tag}", f"Nhóm thử {tag}"
    try:
        page = await open_as(admin_person, "/admin/labels")
        await h.expect(page.get_by_role("heading", name="Nhãn", level=1)).to_be_visible()
        await page.get_by_role("button", name="Thêm nhãn").click()
        dialog = page.get_by_role("dialog", name="Thêm nhãn")
        await dialog.get_by_label("Tên", exact=True).fill(label)
        await dialog.get_by_label("Tên tiếng Anh").fill(f"Test label {tag}")
        await dialog.get_by_role("button", name="Lưu").click()
        await h.expect(row(page, label)).to_contain_text(f"Test label {tag}")

        await page.get_by_role("menuitem", name="Nhóm khách hàng").click()
        await h.expect(page.get_by_role("heading", name="Nhóm khách hàng", level=1)).to_be_visible()
        await page.get_by_role("button", name="Thêm mới").click()
        dialog = page.get_by_role("dialog", name="Thêm mới")
        await dialog.get_by_role("button", name="Lưu").click()
        await h.expect(dialog.get_by_text("Vui lòng nhập tên nhóm")).to_be_visible()  # seed 004's warning
        await dialog.get_by_label("Tên nhóm").fill(group)
        await dialog.get_by_label("Mô tả").fill("Khách hàng từ hội chợ tháng 11")
        await dialog.get_by_role("button", name="Lưu").click()
        await h.expect(page.get_by_text("Thêm mới thành công").first).to_be_visible()
        await h.expect(row(page, group)).to_contain_text("Khách hàng từ hội chợ tháng 11")
        await h.assert_accessible(page, name="admin-groups")
        await h.screenshot(page, "admin-groups")

        await row(page, group).get_by_role("button", name=f"Xóa {group}").click()
        await page.get_by_role("tooltip").get_by_role("button", name="Xóa").click()
        await h.expect(row(page, group)).to_have_count(0)
        await page.get_by_role("menuitem", name="Nhãn").click()
        await row(page, label).get_by_role("button", name=f"Xóa {label}").click()
        await page.get_by_role("tooltip").get_by_role("button", name="Xóa").click()
        await h.expect(row(page, label)).to_have_count(0)
    finally:
        for path, name in (("/api/v1/customer-labels", label), ("/api/v1/customer-groups", group)):
            for item in (await client.get(path, headers=admin)).json():
                if item["name"] == name:
                    await client.delete(f"{path}/{item['id']}", headers=admin)


async def test_an_attribute_is_added_reordered_and_deleted_with_the_values_it_holds(open_as, admin_person, org, client, admin,
                                                                                   console_helpers):
    h = console_helpers
    tag = uuid.uuid4().hex[:6]
    name = f"Thu nhập {tag}"
    other = await client.post("/api/v1/customer-attributes", headers=admin, json={
        "key": f"nghe_nghiep_{tag}", "name": f"Nghề nghiệp {tag}", "type": "text", "display_order": 999_998})
    assert other.status_code == 201, other.text
    other = other.json()
    try:
        page = await open_as(admin_person, "/admin/attributes")
        await h.expect(page.get_by_role("heading", name="Dữ liệu khách hàng", level=1)).to_be_visible()
        await page.get_by_role("button", name="Thêm thuộc tính").click()
        dialog = page.get_by_role("dialog", name="Thêm thuộc tính")
        await dialog.get_by_label("Tên thuộc tính").fill(name)
        await h.expect(dialog.get_by_label("Mã")).to_have_value(f"thu_nhap_{tag}")
        await dialog.get_by_label("Loại thuộc tính").fill("Chọn một")
        await dialog.get_by_label("Loại thuộc tính").press("Enter")
        await dialog.get_by_role("button", name="Thêm lựa chọn").click()
        await dialog.get_by_label("Nhãn hiển thị 1").fill("Dưới 10 triệu")
        await dialog.get_by_label("Giá trị 1").fill("lt10")
        await dialog.get_by_label("STT hiển thị").fill("999999")
        await dialog.get_by_role("button", name="Lưu").click()
        await h.expect(page.get_by_text("Thêm mới thành công").first).to_be_visible()
        await h.expect(row(page, name)).to_contain_text("Dưới 10 triệu")
        await h.expect(row(page, name)).to_contain_text("Chọn một")

        names = await page.get_by_role("row").all_inner_texts()
        assert _index(names, other["name"]) < _index(names, name)
        await row(page, name).get_by_role("button", name=f"Chuyển lên {name}").click()
        await h.expect(row(page, other["name"])).to_contain_text("1000000")
        names = await page.get_by_role("row").all_inner_texts()
        assert _index(names, name) < _index(names, other["name"])
        await h.assert_accessible(page, name="admin-attributes")
        await h.screenshot(page, "admin-attributes")

        customer = await client.post("/api/v1/customers", headers=org["manager"]["headers"], json={
            "name": f"Khách {tag}", "phone": random_mobile(), "attributes": {other["key"]: "Kỹ sư"}})
        assert customer.status_code == 201, customer.text
        await row(page, other["name"]).get_by_role("button", name=f"Xóa {other['name']}").click()
        await page.get_by_role("tooltip").get_by_role("button", name="Xóa").click()
        in_use = page.get_by_role("dialog", name="Thuộc tính đang được dùng")
        await h.expect(in_use).to_be_visible()  # the API's 409 attribute_in_use, in its own words
        await in_use.get_by_role("button", name="Xóa cả giá trị của khách hàng").click()
        await h.expect(row(page, other["name"])).to_have_count(0)

        await row(page, name).get_by_role("button", name=f"Xóa {name}").click()
        await page.get_by_role("tooltip").get_by_role("button", name="Xóa").click()
        await h.expect(row(page, name)).to_have_count(0)
    finally:
        for item in (await client.get("/api/v1/customer-attributes", headers=admin)).json():
            if item["key"] in (other["key"], f"thu_nhap_{tag}"):
                await client.delete(f"/api/v1/customer-attributes/{item['id']}", params={"force": "true"}, headers=admin)


def _index(rows: list[str], text: str) -> int:
    return next(i for i, row_text in enumerate(rows) if text in row_text)


async def test_an_api_key_shows_its_secret_once_and_is_revoked(open_as, admin_person, client, admin, console_helpers):
    h = console_helpers
    name = f"tong-dai-{uuid.uuid4().hex[:6]}"
    page = await open_as(admin_person, "/admin/api-keys")
    await h.expect(page.get_by_role("heading", name="Khóa API", level=1)).to_be_visible()
    await page.get_by_role("button", name="Tạo khóa API").click()
    dialog = page.get_by_role("dialog", name="Tạo khóa API")
    await dialog.get_by_label("Tên khóa").fill(name)
    await dialog.get_by_label("Ghi nhận cuộc gọi").check()
    await dialog.get_by_role("button", name="Lưu").click()

    secret_dialog = page.get_by_role("dialog", name=f"Khóa API mới: {name}")
    await h.expect(secret_dialog).to_contain_text("chỉ hiển thị một lần")
    secret = await secret_dialog.get_by_label("Khóa bí mật").input_value()
    assert len(secret) > 20
    assert (await client.get("/api/v1/customers", headers={"X-API-Key": secret})).status_code == 200
    await h.expect(secret_dialog.get_by_role("button", name="Sao chép")).to_be_visible()
    await secret_dialog.get_by_role("button", name="Tôi đã lưu khóa").click()
    await h.expect(secret_dialog).to_be_hidden()
    key_row = row(page, name)
    await h.expect(key_row).to_contain_text("Ghi nhận cuộc gọi")
    assert secret not in await page.content()  # shown once: not in the list

    await key_row.get_by_role("button", name=f"Thu hồi {name}").click()
    await page.get_by_role("tooltip").get_by_role("button", name="Thu hồi").click()
    await h.expect(page.get_by_text("Đã thu hồi khóa").first).to_be_visible()
    await h.expect(key_row).to_have_count(0)
    assert (await client.get("/api/v1/customers", headers={"X-API-Key": secret})).status_code == 401


async def test_a_rep_gets_the_not_found_page_in_administration(open_as, org, console_helpers):
    h = console_helpers
    page = await open_as(person(org["rep"]), "/admin/users")
    await h.expect(page.get_by_text("Không tìm thấy")).to_be_visible()
    await h.expect(page.get_by_role("heading", name="Người dùng", level=1)).to_have_count(0)
    await h.expect(page.get_by_role("menuitem", name="Quản trị")).to_have_count(0)
