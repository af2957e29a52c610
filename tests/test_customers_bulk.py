"""Bulk actions, soft delete / restore and exports through the gateway (C-10, C-13)."""
from __future__ import annotations

import csv
import io
import uuid

from e2e_support import eventually, random_mobile


async def create(client, who: dict, name: str) -> dict:
    r = await client.post("/api/v1/customers", headers=who["headers"], json={"name": name, "phone": random_mobile()})
    assert r.status_code == 201, r.text
    return r.json()


async def test_bulk_labels_by_ids_and_by_filter_touch_only_what_the_caller_may_edit(client, org):
    rep, rep2, manager = org["rep"], org["rep2"], org["manager"]
    tag = uuid.uuid4().hex[:8]
    mine = [await create(client, rep, f"Khách lô {tag} {i}") for i in range(2)]
    theirs = await create(client, rep2, f"Khách lô {tag} khác")

    r = await client.post("/api/v1/customers/bulk", headers=rep["headers"], json={
        "action": "add_labels", "labels": ["hot"], "ids": [c["id"] for c in mine] + [theirs["id"]]})
    assert r.status_code == 200, r.text
    result = r.json()
    assert (result["matched"], result["updated"], result["not_found"]) == (2, 2, 1)
    read = await client.get(f"/api/v1/customers/{mine[0]['id']}", headers=rep["headers"])
    assert read.json()["labels"] == ["hot"] and read.headers["etag"] == '"2"'

    r = await client.post("/api/v1/customers/bulk", headers=manager["headers"], json={
        "action": "set_status", "status": "potential", "note": "Chiến dịch", "filter": {"q": f"lô {tag}"}})
    assert r.status_code == 200, r.text
    assert (r.json()["matched"], r.json()["updated"]) == (3, 3)
    outsider = await client.post("/api/v1/customers/bulk", headers=org["outsider"]["headers"], json={
        "action": "add_labels", "labels": ["cold"], "filter": {"q": f"lô {tag}"}})
    assert outsider.status_code == 200 and outsider.json()["matched"] == 0


async def test_delete_needs_confirmation_and_an_admin_restores(client, org, admin):
    rep = org["rep"]
    customer = await create(client, rep, "Khách sẽ xóa")
    body = {"action": "delete", "ids": [customer["id"]]}
    refused = await client.post("/api/v1/customers/bulk", headers=rep["headers"], json=body)
    assert refused.status_code == 422 and refused.json()["code"] == "confirmation_required"
    deleted = await client.post("/api/v1/customers/bulk", headers=rep["headers"], json={**body, "confirm": True})
    assert deleted.status_code == 200 and deleted.json()["updated"] == 1
    url = f"/api/v1/customers/{customer['id']}"
    assert (await client.get(url, headers=rep["headers"])).status_code == 404
    assert (await client.post(f"{url}/restore", headers=rep["headers"])).status_code == 403
    restored = await client.post(f"{url}/restore", headers=admin)
    assert restored.status_code == 200, restored.text
    assert (await client.get(url, headers=rep["headers"])).status_code == 200


async def test_csv_export_round_trip(client, org):
    rep = org["rep"]
    tag = uuid.uuid4().hex[:8]
    names = {f"Nguyễn Thị Xuất {tag}", f"=Đặng Văn Xuất {tag}"}
    for name in names:
        await create(client, rep, name)
    r = await client.post("/api/v1/customers/exports", headers=rep["headers"], json={
        "format": "csv", "filter": {"q": f"xuất {tag}"}, "columns": ["name", "phone", "labels"]})
    assert r.status_code == 202, r.text
    location = r.headers["location"]

    async def finished():
        job = (await client.get(location, headers=rep["headers"])).json()
        return job if job["status"] in ("done", "failed") else None

    job = await eventually(finished, timeout=30)
    assert job["status"] == "done" and job["row_count"] == 2
    assert (await client.get(location, headers=org["rep2"]["headers"])).status_code == 404
    file = await client.get(f"{location}/file", headers=rep["headers"])
    assert file.status_code == 200 and "filename*=UTF-8''" in file.headers["content-disposition"]
    assert file.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Họ tên", "Số điện thoại", "Nhãn"]
    exported = {row[0] for row in rows[1:]}
    assert exported == {f"Nguyễn Thị Xuất {tag}", f"'=Đặng Văn Xuất {tag}"}
    assert all(row[1].startswith("'+84") for row in rows[1:])
