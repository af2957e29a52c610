"""Imports through the gateway (issue 11, M-1 … M-6) against the running platform: seed 004's quick
import (new group, start row 2, mapping by column number, a phone that exists updates its customer,
bad rows in the result file, the notification), the template round trip, dry run, the same import
posted twice, cancel, who sees which job, and hostile files."""
from __future__ import annotations

import asyncio
import io
import uuid
import zipfile

import httpx
import xlsxwriter
from python_calamine import CalamineWorkbook

from e2e_support import GATEWAY, eventually, random_mobile

FINISHED = ("completed", "failed", "cancelled")


def xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Khách hàng")
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    workbook.close()
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


async def upload(client: httpx.AsyncClient, user: dict, content: bytes, name: str = "khach-hang.xlsx") -> dict:
    response = await client.post("/api/v1/imports/uploads", headers=user["headers"], files={"file": (name, content)})
    assert response.status_code == 201, response.text
    return response.json()


async def finished(client: httpx.AsyncClient, user: dict, job_id: str, timeout: float = 60) -> dict:
    async def done():
        job = (await client.get(f"/api/v1/imports/{job_id}", headers=user["headers"])).json()
        return job if job["status"] in FINISHED else None

    return await eventually(done, timeout=timeout, interval=0.3)


async def customer_by_phone(client: httpx.AsyncClient, user: dict, phone: str) -> dict | None:
    found = await client.get("/api/v1/customers", params={"q": phone}, headers=user["headers"])
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    return items[0] if items else None


async def test_seed_004_quick_import_into_a_new_group(client, org):
    rep = org["rep"]
    existing_phone, bad_email_phone, twice_phone = random_mobile(), random_mobile(), random_mobile()
    existing = await client.post("/api/v1/customers", headers=rep["headers"],
                                 json={"name": "Khách cũ", "phone": existing_phone})
    assert existing.status_code == 201, existing.text
    new_phone = random_mobile()
    content = xlsx([
        ["STT", "Họ và tên", "Số điện thoại", "Email", "Ghi chú"],
        [1, "Phạm Thị Mới", new_phone, "moi@example.com", "khách từ hội chợ"],
        [2, "Khách Cũ Đổi Tên", existing_phone.replace("09", "+84 9", 1), None, "đã gọi lại"],
        [3, "Sai Email", bad_email_phone, "khong-phai-email", None],
        [4, "Lần Một", twice_phone, None, None],
        [5, "Lần Hai", twice_phone, None, None],
    ])
    file = await upload(client, rep, content)
    assert file["format"] == "xlsx" and file["sheets"] == [{"index": 0, "name": "Khách hàng"}]
    preview = (await client.get(f"/api/v1/imports/uploads/{file['id']}/preview", headers=rep["headers"])).json()
    assert preview["detected_header_row"] == 1
    assert [c["letter"] for c in preview["columns"]] == ["A", "B", "C", "D", "E"]

    nameless = await client.post("/api/v1/imports", headers=rep["headers"], json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": 2, "phone": 3}, "new_group": {"name": " "}})
    assert nameless.status_code == 422 and nameless.json()["code"] == "group_name_required", nameless.text
    assert "Vui lòng nhập tên nhóm" in nameless.text

    group_name = f"Hội chợ {uuid.uuid4().hex[:6]}"
    body = {"upload_id": file["id"], "start_row": 2, "mapping": {"name": 2, "phone": 3, "email": "D", "note": "Ghi chú"},
            "new_group": {"name": group_name}}
    started = await client.post("/api/v1/imports", headers=rep["headers"], json=body)
    assert started.status_code == 202, started.text
    assert started.headers["location"] == f"/api/v1/imports/{started.json()['id']}"
    job = await finished(client, rep, started.json()["id"])
    assert job["status"] == "completed", job
    assert (job["total_rows"], job["created"], job["updated"], job["failed"], job["duplicates_in_file"]) == \
        (5, 2, 1, 1, 1), job

    renamed = await customer_by_phone(client, rep, existing_phone)
    assert renamed is not None and renamed["name"] == "Khách Cũ Đổi Tên" and renamed["id"] == existing.json()["id"]
    created = await customer_by_phone(client, rep, new_phone)
    assert created is not None and created["name"] == "Phạm Thị Mới" and created["owner_id"] == rep["id"]
    assert created["groups"], "the new group holds the imported customer"
    groups = (await client.get("/api/v1/customer-groups", headers=rep["headers"])).json()
    assert group_name in [g["name"] for g in (groups["items"] if isinstance(groups, dict) else groups)]
    assert await customer_by_phone(client, rep, bad_email_phone) is None

    result = await client.get(job["result_file_url"], headers=rep["headers"])
    assert result.status_code == 200, result.text
    rows = read_xlsx(result.content)
    assert rows[0][0] == "Dòng" and rows[0][-1] == "Lý do"
    by_row = {int(r[0]): r for r in rows[1:]}
    assert set(by_row) == {4, 6}, rows
    assert "Email không hợp lệ" in by_row[4][-1] and by_row[4][4] == "khong-phai-email"
    assert "Trùng số điện thoại" in by_row[6][-1]
    english = await client.get(job["result_file_url"], headers={**rep["headers"], "Accept-Language": "en"})
    assert "Invalid e-mail" in read_xlsx(english.content)[1][-1]

    async def notified():
        inbox = await client.get("/api/v1/notifications", headers=rep["headers"])
        return next((n for n in inbox.json()["items"] if n["type"] == "import_finished"
                     and n["data"].get("job_id") == job["id"]), None)

    notice = await eventually(notified, timeout=30)
    assert notice["title"] == "Nhập dữ liệu xong: 3 dòng thành công, 2 dòng lỗi"

    again = await client.post("/api/v1/imports", headers=rep["headers"], json=body)
    assert again.status_code == 200 and again.json()["id"] == job["id"], again.text


async def test_a_phone_of_someone_elses_customer_fails_without_revealing_it(client, org):
    theirs = random_mobile()
    created = await client.post("/api/v1/customers", headers=org["outsider"]["headers"],
                                json={"name": "Khách người khác", "phone": theirs})
    assert created.status_code == 201, created.text
    file = await upload(client, org["rep"], xlsx([["Tên", "SĐT"], ["Ghi đè", theirs]]))
    started = await client.post("/api/v1/imports", headers=org["rep"]["headers"], json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": "A", "phone": "B"}})
    job = await finished(client, org["rep"], started.json()["id"])
    assert (job["created"], job["updated"], job["failed"]) == (0, 0, 1), job
    rows = read_xlsx((await client.get(job["result_file_url"], headers=org["rep"]["headers"])).content)
    assert "không được sửa" in rows[1][-1] and "Khách người khác" not in str(rows)
    still = await client.get(f"/api/v1/customers/{created.json()['id']}", headers=org["outsider"]["headers"])
    assert still.json()["name"] == "Khách người khác"


async def test_dry_run_writes_nothing_and_reports_what_would_happen(client, org):
    phone = random_mobile()
    file = await upload(client, org["rep2"], xlsx([["Tên", "SĐT"], ["Thử", phone], ["Hỏng", "12"]]))
    started = await client.post("/api/v1/imports", headers=org["rep2"]["headers"], json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}, "dry_run": True})
    job = await finished(client, org["rep2"], started.json()["id"])
    assert (job["status"], job["dry_run"], job["created"], job["failed"]) == ("completed", True, 1, 1), job
    assert await customer_by_phone(client, org["rep2"], phone) is None
    rows = read_xlsx((await client.get(job["result_file_url"], headers=org["rep2"]["headers"])).content)
    assert "Số điện thoại không hợp lệ" in rows[1][-1]


async def test_the_template_round_trip(client, org):
    rep = org["rep"]
    template = await client.get("/api/v1/imports/template.xlsx", headers=rep["headers"])
    assert template.status_code == 200, template.text
    sheet = read_xlsx(template.content)
    headers = sheet[0]
    assert headers[:2] == ["Tên khách hàng", "Số điện thoại"] and "Tỉnh/Thành phố" in headers
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(template.content))
    assert len(workbook.sheet_names) == 2  # the customers and the lists behind the drop-downs
    lists = workbook.get_sheet_by_index(1).to_python()
    assert {"Thành phố Hà Nội", "Nam"} <= {cell for row in lists for cell in row}
    phone = random_mobile()
    filled = [headers, [{"Tên khách hàng": "Khách Theo Mẫu", "Số điện thoại": phone,
                         "Tỉnh/Thành phố": "Thành phố Hồ Chí Minh", "Giới tính": "Nữ"}.get(h, None) for h in headers]]
    file = await upload(client, rep, xlsx(filled), "mau.xlsx")
    started = await client.post("/api/v1/imports", headers=rep["headers"], json={"upload_id": file["id"],
                                                                                  "template": True})
    assert started.status_code == 202, started.text
    job = await finished(client, rep, started.json()["id"])
    assert (job["status"], job["created"], job["failed"]) == ("completed", 1, 0), job
    customer = await customer_by_phone(client, rep, phone)
    assert customer["gender"] == "female" and customer["province"]["name"] == "Thành phố Hồ Chí Minh"


async def test_cancel_stops_at_a_chunk_boundary(client, org):
    rep = org["manager"]
    lines = ["Tên,Số điện thoại"] + [f"Khách {i},{random_mobile()}" for i in range(30_000)]
    file = await upload(client, rep, "\n".join(lines).encode(), "lon.csv")
    assert file["format"] == "csv"
    started = await client.post("/api/v1/imports", headers=rep["headers"], json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}, "dry_run": True})
    cancelled = await client.post(f"/api/v1/imports/{started.json()['id']}/cancel", headers=rep["headers"])
    assert cancelled.status_code == 200, cancelled.text
    job = await finished(client, rep, started.json()["id"])
    assert job["status"] == "cancelled", job
    assert job["processed_rows"] < 30_000
    again = await client.post(f"/api/v1/imports/{job['id']}/cancel", headers=rep["headers"])
    assert again.status_code == 409 and again.json()["code"] == "import_not_cancellable"


async def test_who_sees_which_import(client, org):
    file = await upload(client, org["rep"], xlsx([["Tên", "SĐT"], ["Riêng", random_mobile()]]))
    started = await client.post("/api/v1/imports", headers=org["rep"]["headers"], json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}, "dry_run": True})
    job_id = started.json()["id"]
    for stranger in ("rep2", "outsider"):
        assert (await client.get(f"/api/v1/imports/{job_id}", headers=org[stranger]["headers"])).status_code == 404
        assert (await client.get(f"/api/v1/imports/uploads/{file['id']}/preview",
                                 headers=org[stranger]["headers"])).status_code == 404
        assert job_id not in [j["id"] for j in (await client.get("/api/v1/imports",
                                                                 headers=org[stranger]["headers"])).json()]
    assert (await client.get(f"/api/v1/imports/{job_id}", headers=org["manager"]["headers"])).status_code == 200
    assert job_id in [j["id"] for j in (await client.get("/api/v1/imports", headers=org["manager"]["headers"])).json()]
    taken = await client.post("/api/v1/imports", headers=org["rep2"]["headers"], json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}})
    assert taken.status_code == 404  # someone else's upload


async def test_a_mapping_is_checked_before_the_job_starts(client, org):
    file = await upload(client, org["rep"], xlsx([["Tên", "SĐT"], ["A", random_mobile()]]))
    wrong = await client.post("/api/v1/imports", headers={**org["rep"]["headers"], "Accept-Language": "en"}, json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": "Z", "favourite_food": 1, "email": "Tên"}})
    assert wrong.status_code == 422, wrong.text
    problems = {e["field"]: e["code"] for e in wrong.json()["errors"]}
    assert problems == {"mapping.name": "unknown_column", "mapping.favourite_food": "unknown_field",
                        "mapping.phone": "required_field"}, problems


async def test_hostile_files_are_refused_with_nothing_kept(client, org):
    headers = org["rep"]["headers"]
    html = await client.post("/api/v1/imports/uploads", headers=headers,
                             files={"file": ("khach.xlsx", b"<!DOCTYPE html><html><body>not a sheet</body></html>")})
    assert html.status_code == 415 and html.json()["code"] == "unsupported_format", html.text
    exe = await client.post("/api/v1/imports/uploads?filename=khach.csv", headers=headers,
                            content=b"MZ\x90\x00" + bytes(2000))
    assert exe.status_code == 415, exe.text

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            zeros = bytes(2**24)
            for _ in range(128):  # 2 GiB of zeros, ~2 MB compressed
                part.write(zeros)
    refused = await client.post("/api/v1/imports/uploads", headers=headers,
                                files={"file": ("bom.xlsx", bomb.getvalue())})
    assert refused.status_code == 422 and refused.json()["code"] == "zip_bomb", refused.text

    unbalanced = b'Ten,SDT\n"Nguyen Van A,0912345678\nTran B,0987654321\n' * 3
    malformed = await client.post("/api/v1/imports/uploads", headers=headers,
                                  files={"file": ("hong.csv", unbalanced)})
    assert malformed.status_code == 422 and malformed.json()["code"] == "malformed_csv", malformed.text


async def test_progress_streams_until_the_job_ends(client, org):
    rep = org["rep2"]
    lines = ["Tên,SĐT"] + [f"Khách luồng {i},{random_mobile()}" for i in range(3_000)]
    file = await upload(client, rep, "\n".join(lines).encode(), "luong.csv")
    started = await client.post("/api/v1/imports", headers=rep["headers"], json={
        "upload_id": file["id"], "start_row": 2, "mapping": {"name": 1, "phone": 2}, "dry_run": True})
    seen: list[str] = []
    async with client.stream("GET", f"/api/v1/imports/{started.json()['id']}/events", headers=rep["headers"]) as events:
        assert events.status_code == 200 and events.headers["content-type"].startswith("text/event-stream")
        async for line in events.aiter_lines():
            if line.startswith("event: "):
                seen.append(line.removeprefix("event: "))
            if seen and seen[-1] == "end":
                break
    assert seen[0] == "progress" and seen[-1] == "end", seen
    job = (await client.get(f"/api/v1/imports/{started.json()['id']}", headers=rep["headers"])).json()
    assert job["status"] == "completed" and job["processed_rows"] == 3_000, job


async def test_an_upload_over_the_limit_is_refused(client, org):
    """200 MiB is the default limit (CRM_IMPORT_MAX_UPLOAD_BYTES): the gateway refuses a larger
    Content-Length before proxying a byte; the service refuses a streamed body as it passes the
    limit and keeps nothing (crm_import.files.storage, its unit tests)."""
    host, port = GATEWAY.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (f"POST /api/v1/imports/uploads?filename=lon.csv HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: {org['rep']['headers']['Authorization']}\r\nContent-Type: text/csv\r\n"
            f"Content-Length: {210 * 2**20}\r\n\r\n")
    writer.write(head.encode() + b"Ten,SDT\n")  # the answer comes before the rest of the body is sent
    await writer.drain()
    answer = b""
    while b"payload_too_large" not in answer and len(answer) < 16_384:  # the headers, then the problem
        chunk = await asyncio.wait_for(reader.read(4096), timeout=10)
        if not chunk:
            break
        answer += chunk
    writer.close()
    assert answer.startswith(b"HTTP/1.1 413") and b"payload_too_large" in answer, answer[:300]
    under = b"Ten,SDT\n" + b"Khach Lon,0912345678\n" * (3 * 2**20 // 20)  # 3 MiB: over the JSON limit
    accepted = await client.post("/api/v1/imports/uploads?filename=vua.csv", headers=org["rep"]["headers"],
                                 content=under)
    assert accepted.status_code == 201, accepted.text[:300]
