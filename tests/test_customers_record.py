"""The full customer record through the gateway: create and read every field, versioned
updates, configuration defaults, and a status update with a note on the timeline."""
from __future__ import annotations

from e2e_support import eventually, random_mobile


def full_record() -> dict:
    return {
        "name": "Công ty TNHH Bình An", "phone": random_mobile(), "email": "lien.he@binhan.vn",
        "birthday": "15/08/1990", "province": "Sài Gòn", "gender": "Nữ", "address": "12 Lê Lợi, Quận 1",
        "source": "Hội chợ", "customer_type": "Doanh nghiệp", "company_name": "Bình An",
        "tax_code": "0100109106-001", "position": "Giám đốc", "note": "Gọi buổi sáng", "party_type": "organization",
        "organization_size": "50-199", "founding_date": "2010-05-01", "industry": "Bán lẻ",
        "description": "Chuỗi cửa hàng", "contact_person": "Chị Lan", "lifecycle": "customer",
        "status": "potential", "labels": ["hot", "premium"],
    }


async def create(client, who: dict, body: dict) -> dict:
    r = await client.post("/api/v1/customers", headers=who["headers"], json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def test_full_record_is_created_normalised_and_read_back_with_its_etag(client, org):
    rep, body = org["rep"], full_record()
    customer = await create(client, rep, body)
    assert customer["phone"] == "+84" + body["phone"][1:]
    assert customer["province"]["code"] == 79
    assert (customer["birthday"], customer["founding_date"]) == ("1990-08-15", "2010-05-01")
    assert (customer["gender"], customer["party_type"], customer["lifecycle"]) == ("female", "organization", "customer")
    assert customer["status"] == "potential" and customer["labels"] == ["hot", "premium"]
    assert customer["owner_id"] == rep["id"] and customer["owner_unit_id"] == org["team"]
    assert customer["version"] == 1 and customer["viewer_ids"] == [] and customer["holder_id"] is None
    for field in ("email", "address", "source", "customer_type", "company_name", "tax_code", "position", "note",
                  "organization_size", "industry", "description", "contact_person"):
        assert customer[field] == body[field], field
    read = await client.get(f"/api/v1/customers/{customer['id']}", headers=rep["headers"])
    assert read.status_code == 200 and read.headers["etag"] == '"1"'
    assert read.json() == {**customer, "counts": read.json()["counts"]}  # the detail adds counts (C-14)


async def test_every_field_problem_is_reported_in_one_answer(client, org):
    r = await client.post("/api/v1/customers", headers={**org["rep"]["headers"], "Accept-Language": "en"}, json={
        "name": "Đỗ Văn Hùng", "phone": random_mobile(), "email": "not-an-email", "tax_code": "123",
        "province": "Atlantis", "status": "no_such_status"})
    assert r.status_code == 422
    codes = {e["field"]: e["code"] for e in r.json()["errors"]}
    assert codes == {"email": "invalid_email", "tax_code": "invalid_tax_code", "province": "invalid_province",
                     "status": "unknown_status"}


async def test_patch_needs_the_version_read_and_only_editors_may_patch(client, org):
    rep, rep2 = org["rep"], org["rep2"]
    customer = await create(client, rep, {"name": "Trần Văn Bảo", "phone": random_mobile()})
    url = f"/api/v1/customers/{customer['id']}"

    missing = await client.patch(url, headers=rep["headers"], json={"note": "x"})
    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"
    patched = await client.patch(url, headers={**rep["headers"], "If-Match": '"1"'},
                                 json={"email": "bao@example.vn", "labels": ["warm"]})
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"'
    assert patched.json()["email"] == "bao@example.vn" and patched.json()["labels"] == ["warm"]
    stale = await client.patch(url, headers={**rep["headers"], "If-Match": '"1"'}, json={"note": "y"})
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"

    # a colleague in the same team does not see it at all; as a viewer they read but may not edit
    assert (await client.patch(url, headers={**rep2["headers"], "If-Match": '"2"'}, json={"note": "z"})).status_code == 404

    async def shared():
        r = await client.post(f"{url}/viewers", headers=rep["headers"], json={"user_id": rep2["id"]})
        return r if r.status_code == 200 else None  # 422 until the user directory has rep2

    version = (await eventually(shared)).json()["version"]
    assert (await client.get(url, headers=rep2["headers"])).status_code == 200
    forbidden = await client.patch(url, headers={**rep2["headers"], "If-Match": f'"{version}"'}, json={"note": "z"})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "not_editable"
    assert (await client.get(url, headers=org["outsider"]["headers"])).status_code == 404


async def test_default_statuses_and_labels_are_listed(client, org):
    statuses = await client.get("/api/v1/customer-statuses", headers=org["rep"]["headers"])
    assert statuses.status_code == 200
    assert {"new", "contacted", "potential", "contract_closed", "refused", "wrong_number"} <= {
        s["key"] for s in statuses.json()}
    labels = await client.get("/api/v1/customer-labels", headers=org["rep"]["headers"])
    assert {"reputable", "regular", "premium", "hot", "warm", "cold"} <= {label["key"] for label in labels.json()}
    groups = await client.get("/api/v1/customer-groups", headers=org["rep"]["headers"])
    assert groups.status_code == 200 and isinstance(groups.json(), list)
    refused = await client.post("/api/v1/customer-groups", headers=org["rep"]["headers"],
                                json={"name": "Không được", "description": "Chỉ quản trị viên"})
    assert refused.status_code == 403


async def test_status_with_note_appears_as_classified_on_the_timeline(client, org):
    rep = org["rep"]
    customer = await create(client, rep, {"name": "Lý Thị Hoa", "phone": random_mobile()})
    assert customer["status"] == "new"
    r = await client.post(f"/api/v1/customers/{customer['id']}/status", headers=rep["headers"],
                          json={"status": "contacted", "note": "Đã gọi, khách hẹn tuần sau"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "contacted" and r.json()["version"] == 2

    async def classified():
        t = await client.get(f"/api/v1/customers/{customer['id']}/timeline", headers=rep["headers"])
        items = t.json()["items"] if t.status_code == 200 else []
        return [i for i in items if i["type"] == "classified"]

    [entry] = await eventually(classified)
    assert entry["data"]["from"] == "new" and entry["data"]["to"] == "contacted"
    assert entry["note"] == "Đã gọi, khách hẹn tuần sau"
    assert entry["actor_id"] == rep["id"]
