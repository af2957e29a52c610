"""The import wizard in a real browser (seed 004, 2.2 "Thêm mới nhiều khách hàng"): "Import nhanh"
into a group chosen in "Tập khách hàng" — the upload's progress bar, the preview with column letters,
the start row, the mapping by picking columns, the live progress, the counts, the result file, the
notification —, "Import theo mẫu" into a new group ("Vui lòng nhập tên nhóm" first) with the template
downloaded from the wizard, and the list of imports on a phone."""
from __future__ import annotations

import asyncio
import io
import re
import uuid

import xlsxwriter
from python_calamine import CalamineWorkbook

from crm_import.files.vietnamese import TCVN3
from e2e_support import PASSWORD, random_mobile


def person(user: dict) -> dict:
    return {"username": user["username"], "password": PASSWORD}


def xlsx(rows: list[list[object]], sheet: str = "Khách hàng", guide: bool = False) -> bytes:
    """A workbook of `rows`; with `guide`, a sheet of instructions comes first."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    if guide:
        workbook.add_worksheet("Hướng dẫn").write(0, 0, "Điền khách hàng vào trang sau")
    worksheet = workbook.add_worksheet(sheet)
    for number, row in enumerate(rows):
        worksheet.write_row(number, 0, row)
    workbook.close()
    return buffer.getvalue()


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 as an old spreadsheet shows it without its font."""
    reverse = {letter: legacy for legacy, letter in TCVN3.items()}
    return "".join(reverse.get(char) or reverse.get(char.lower()) or char for char in text)


def read_xlsx(path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


async def customer_by_phone(client, user: dict, phone: str) -> dict | None:
    found = await client.get("/api/v1/customers", params={"q": phone}, headers=user["headers"])
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    return items[0] if items else None


async def pick(page, label: str, text: str) -> None:
    """Choose in an antd Select (with search) the option whose label contains `text`."""
    field = page.get_by_label(re.compile(rf"^\*?\s*{re.escape(label)}$"))
    await field.click()
    await field.fill(text)
    await field.press("Enter")


async def upload_through_the_dragger(page, h, name: str, content: bytes) -> None:
    """Drop the file, hold the API's answer until the progress bar was seen, then let it through."""
    seen = asyncio.Event()

    async def held(route):
        await seen.wait()
        await route.continue_()

    await page.route("**/api/v1/imports/uploads?*", held)
    await page.locator("input[type=file]").set_input_files({
        "name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": content})
    await h.expect(page.get_by_role("progressbar", name="Tiến độ tải file lên")).to_be_visible()
    seen.set()
    await h.expect(page.get_by_role("progressbar", name="Tiến độ tải file lên")).to_have_count(0)
    await page.unroute("**/api/v1/imports/uploads?*")


async def test_seed_004_quick_import_into_a_chosen_group(open_as, org, client, admin, console_helpers):
    h = console_helpers
    rep = org["rep"]
    tag = uuid.uuid4().hex[:6]
    group = await client.post("/api/v1/customer-groups", headers=admin,
                              json={"name": f"Hội chợ {tag}", "description": "Khách thu thập tại hội chợ"})
    assert group.status_code == 201, group.text
    existing_phone, new_phone, bad_email_phone, twice_phone = (random_mobile() for _ in range(4))
    existing = await client.post("/api/v1/customers", headers=rep["headers"],
                                 json={"name": f"Khách cũ {tag}", "phone": existing_phone})
    assert existing.status_code == 201, existing.text
    file_name = f"khach-hang-{tag}.xlsx"
    content = xlsx([
        ["STT", "Họ và tên", "SĐT", "Email", "Ghi chú"],
        [1, f"Phạm Thị Mới {tag}", new_phone, "moi@example.com", "khách từ hội chợ"],
        [2, f"Khách Cũ Đổi Tên {tag}", existing_phone, None, "đã gọi lại"],
        [3, f"Sai Email {tag}", bad_email_phone, "khong-phai-email", None],
        [4, f"Lần Một {tag}", twice_phone, None, None],
        [5, f"Lần Hai {tag}", twice_phone, None, None],
    ], guide=True)
    try:
        page = await open_as(person(rep), "/imports")
        await h.expect(page.get_by_role("heading", name="Nhập dữ liệu", level=1)).to_be_visible()
        await page.get_by_role("button", name="Nhập khách hàng").click()

        # step 1: "Tập khách hàng", and "Import theo mẫu" offers the template ("Tải file mẫu")
        await h.expect(page.get_by_role("heading", name="Thêm mới nhiều khách hàng")).to_be_visible()
        await page.get_by_text("Import theo mẫu", exact=True).click()
        async with page.expect_download() as downloading:
            await page.get_by_role("button", name="Tải file mẫu").click()
        template = await downloading.value
        assert template.suggested_filename == "mau-nhap-khach-hang.xlsx"
        headers = read_xlsx(await template.path())[0]
        assert headers[:2] == ["Tên khách hàng", "Số điện thoại"], headers
        await page.get_by_text("Import nhanh", exact=True).click()
        await pick(page, "Tập khách hàng", f"Hội chợ {tag}")
        await h.expect(page.get_by_title(f"Hội chợ {tag}").first).to_be_visible()
        await h.assert_accessible(page, name="import-step-group")
        await h.screenshot(page, "import-step-group")
        await page.get_by_role("button", name="Tiếp tục").click()

        # step 2: the file, sent with a progress bar; what the API found in it
        await page.get_by_role("button", name="Tiếp tục").click()
        await h.expect(page.get_by_text("Vui lòng chọn file excel")).to_be_visible()
        await upload_through_the_dragger(page, h, file_name, content)
        await h.expect(page.get_by_text(file_name)).to_be_visible()
        await h.expect(page.get_by_text("XLSX", exact=True)).to_be_visible()
        await h.expect(page.get_by_text("Hướng dẫn, Khách hàng", exact=True)).to_be_visible()  # the sheets
        await pick(page, "Trang tính lấy dữ liệu", "Khách hàng")
        await h.assert_accessible(page, name="import-step-file")
        await h.screenshot(page, "import-step-file")
        await page.get_by_role("button", name="Tiếp tục").click()

        # step 3: the preview with column letters above the headers, the start row, the columns
        preview = page.get_by_test_id("import-preview")
        await h.expect(preview.get_by_role("columnheader", name=re.compile("^C\\s*SĐT$"))).to_be_visible()
        await h.expect(preview.get_by_role("cell", name=f"Sai Email {tag}")).to_be_visible()
        await h.expect(page.get_by_label("Dòng bắt đầu")).to_have_value("2")  # the row after the headers
        await page.get_by_role("button", name="Lưu").click()
        await h.expect(page.get_by_text("Vui lòng chọn cột cho Tên khách hàng")).to_be_visible()
        await pick(page, "Tên khách hàng", "Họ và tên")
        await pick(page, "Số điện thoại", "SĐT")
        await pick(page, "Email", "SĐT")
        await h.expect(page.get_by_text("Cột C đã được chọn cho Số điện thoại")).to_be_visible()
        await pick(page, "Email", "D — Email")
        await h.expect(page.get_by_text("Cột C đã được chọn cho Số điện thoại")).to_have_count(0)
        await page.get_by_role("button", name="Các mục khác").click()
        await pick(page, "Ghi chú", "Ghi chú")
        await h.assert_accessible(page, name="import-step-mapping")
        await h.screenshot(page, "import-step-mapping")
        await page.get_by_role("button", name="Lưu").click()

        # the job: live progress to the end, the counts, the result file with the bad rows
        await h.expect(page.get_by_role("heading", name=f"Nhập dữ liệu: {file_name}")).to_be_visible()
        await h.expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "completed",
                                                                                timeout=60_000)
        await h.expect(page.get_by_test_id("import-processed")).to_have_text("5 / 5 dòng")
        for name, count in (("total", 5), ("created", 2), ("updated", 1), ("failed", 1), ("duplicates", 1)):
            await h.expect(page.get_by_test_id(f"count-{name}")).to_contain_text(str(count))
        await h.expect(page.get_by_role("button", name="Hủy")).to_have_count(0)
        await h.assert_accessible(page, name="import-job")
        await h.screenshot(page, "import-job")
        async with page.expect_download() as downloading:
            await page.get_by_role("button", name="Tải file kết quả").click()
        rows = read_xlsx(await (await downloading.value).path())
        assert rows[0][0] == "Dòng" and rows[0][-1] == "Lý do", rows[0]
        by_row = {int(row[0]): row for row in rows[1:]}
        assert set(by_row) == {4, 6}, rows
        assert "Email không hợp lệ" in by_row[4][-1] and "khong-phai-email" in by_row[4]
        assert "Trùng số điện thoại" in by_row[6][-1]

        updated = await customer_by_phone(client, rep, existing_phone)
        assert updated["id"] == existing.json()["id"] and updated["name"] == f"Khách Cũ Đổi Tên {tag}"
        created = await customer_by_phone(client, rep, new_phone)
        assert created is not None and created["groups"] == [group.json()["id"]], created
        assert await customer_by_phone(client, rep, bad_email_phone) is None

        # the list shows it, and the bell's page the notification that it ended
        await page.get_by_role("link", name="Danh sách nhập dữ liệu").click()
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=file_name))
        await h.expect(row.get_by_test_id("import-status")).to_have_attribute("data-status", "completed")
        await h.assert_accessible(page, name="imports")
        await h.screenshot(page, "imports")
        await page.goto("/notifications")
        await h.expect(page.get_by_test_id("notification").filter(
            has_text="Nhập dữ liệu xong: 3 dòng thành công, 2 dòng lỗi").first).to_be_visible(timeout=30_000)
    finally:
        await client.delete(f"/api/v1/customer-groups/{group.json()['id']}", headers=admin)


async def test_seed_004_template_import_into_a_new_group(open_as, org, client, admin, console_helpers):
    h = console_helpers
    rep = org["rep2"]
    tag = uuid.uuid4().hex[:6]
    template = await client.get("/api/v1/imports/template.xlsx", headers=rep["headers"])
    assert template.status_code == 200, template.text
    headers = CalamineWorkbook.from_filelike(io.BytesIO(template.content)).get_sheet_by_index(0).to_python()[0]
    phone = random_mobile()
    values = {"Tên khách hàng": f"Khách Theo Mẫu {tag}", "Số điện thoại": phone, "Giới tính": "Nữ"}
    content = xlsx([headers, [values.get(header) for header in headers]])

    page = await open_as(person(rep), "/imports/new")
    await page.get_by_text("Import theo mẫu", exact=True).click()
    await page.get_by_role("button", name="Tạo nhóm mới").click()
    await page.get_by_role("button", name="Tiếp tục").click()
    await h.expect(page.get_by_text("Vui lòng nhập tên nhóm")).to_be_visible()  # as the guide says
    await page.mouse.move(0, 0)  # a hovered primary button is paler
    await h.assert_accessible(page, name="import-new-group")
    await h.screenshot(page, "import-new-group")
    await page.get_by_label("Tên nhóm").fill(f"Nhóm mẫu {tag}")
    await page.get_by_role("button", name="Tiếp tục").click()
    await upload_through_the_dragger(page, h, f"mau-{tag}.xlsx", content)
    await h.expect(page.get_by_role("button", name="Lưu")).to_be_visible()  # no mapping for the template
    await page.get_by_role("button", name="Lưu").click()

    await h.expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "completed", timeout=60_000)
    job = (await client.get(f"/api/v1/imports/{page.url.rsplit('/', 1)[-1]}", headers=rep["headers"])).json()
    if job["failed"]:
        result = await client.get(job["result_file_url"], headers=rep["headers"])
        reasons = CalamineWorkbook.from_filelike(io.BytesIO(result.content)).get_sheet_by_index(0).to_python()[1:]
        raise AssertionError(f"the new group's rows failed: {[row[-1] for row in reasons]}")
    await h.expect(page.get_by_test_id("count-created")).to_contain_text("1")
    await h.expect(page.get_by_test_id("count-failed")).to_contain_text("0")
    customer = await customer_by_phone(client, rep, phone)
    assert customer is not None and customer["gender"] == "female", customer
    groups = (await client.get("/api/v1/customer-groups", headers=rep["headers"])).json()
    new_group = next(g for g in groups if g["name"] == f"Nhóm mẫu {tag}")
    assert customer["groups"] == [new_group["id"]], customer
    await client.delete(f"/api/v1/customer-groups/{new_group['id']}", headers=admin)


async def test_the_imports_on_a_phone(open_as, org, client, console_helpers):
    h = console_helpers
    rep = org["rep2"]
    name = f"dien-thoai-{uuid.uuid4().hex[:6]}.xlsx"
    uploaded = await client.post("/api/v1/imports/uploads", headers=rep["headers"], files={
        "file": (name, xlsx([["Tên", "SĐT"], [to_tcvn3("Nguyễn Thị Hồng"), random_mobile()]]))})
    assert uploaded.status_code == 201, uploaded.text
    started = await client.post("/api/v1/imports", headers=rep["headers"], json={
        "upload_id": uploaded.json()["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}, "dry_run": True})
    assert started.status_code == 202, started.text

    page = await open_as(person(rep), "/imports", phone=True)
    await page.get_by_role("link", name=name).click()
    await h.expect(page.get_by_role("heading", name=f"Nhập dữ liệu: {name}")).to_be_visible()
    await h.expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "completed", timeout=60_000)
    await h.expect(page.get_by_text("Đây là lần kiểm tra trước")).to_be_visible()
    await h.expect(page.get_by_text("1 ô được chuyển từ bảng mã cũ (TCVN3/VNI) sang Unicode")).to_be_visible()
    await page.mouse.move(0, 0)  # the tap left a hover where the download button now is
    await h.assert_accessible(page, name="import-job-phone")
    await h.screenshot(page, "import-job-phone")
    await page.get_by_role("link", name="Danh sách nhập dữ liệu").click()
    await h.expect(page.get_by_role("link", name=name)).to_be_visible()
    await h.assert_accessible(page, name="imports-phone")
    await h.screenshot(page, "imports-phone")
    await page.get_by_role("button", name="Nhập khách hàng").click()
    await h.expect(page.get_by_role("heading", name="Thêm mới nhiều khách hàng")).to_be_visible()
    await page.mouse.move(0, 0)
    await h.assert_accessible(page, name="import-wizard-phone")
    await h.screenshot(page, "import-wizard-phone")


async def test_a_running_import_shows_its_progress_and_can_be_cancelled(open_as, org, client, console_helpers):
    h = console_helpers
    rep = org["manager"]
    name = f"lon-{uuid.uuid4().hex[:6]}.csv"
    lines = ["Tên,Số điện thoại"] + [f"Khách {i},{random_mobile()}" for i in range(100_000)]
    uploaded = await client.post("/api/v1/imports/uploads", headers=rep["headers"],
                                 files={"file": (name, "\n".join(lines).encode())})
    assert uploaded.status_code == 201, uploaded.text
    started = await client.post("/api/v1/imports", headers=rep["headers"], json={
        "upload_id": uploaded.json()["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}, "dry_run": True})
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]

    page = await open_as(person(rep), f"/imports/{job_id}")
    await h.expect(page.get_by_role("heading", name=f"Nhập dữ liệu: {name}")).to_be_visible()
    await h.expect(page.get_by_test_id("import-processed")).to_have_text(re.compile(r"^[1-9][\d.,]* (/ 100000 )?dòng$"))
    await page.get_by_role("button", name="Hủy").click()
    dialog = page.get_by_role("dialog")
    await h.expect(dialog).to_contain_text("Các dòng đã nhập được giữ lại")
    await dialog.get_by_role("button", name="Hủy").click()
    await h.expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "cancelled", timeout=60_000)
    await h.expect(page.get_by_role("button", name="Hủy")).to_have_count(0)
    job = (await client.get(f"/api/v1/imports/{job_id}", headers=rep["headers"])).json()
    assert job["status"] == "cancelled" and job["processed_rows"] < 100_000, job
