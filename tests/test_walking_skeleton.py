"""The walking skeleton through every layer: gateway → customers → outbox → Kafka →
interactions consumer → timeline read through the gateway."""
from __future__ import annotations

import uuid

from e2e_support import eventually, random_mobile


async def test_created_customer_appears_on_its_timeline(client, org):
    rep = org["rep"]
    local = random_mobile()
    created = await client.post("/api/v1/customers", headers=rep["headers"],
                                json={"name": "Nguyễn Văn An", "phone": local[:4] + " " + local[4:7] + " " + local[7:]})
    assert created.status_code == 201, created.text
    customer = created.json()
    assert customer["phone"] == "+84" + local[1:]
    assert customer["owner_id"] == rep["id"]
    assert created.headers["location"] == f"/api/v1/customers/{customer['id']}"

    async def created_entry():
        r = await client.get(f"/api/v1/customers/{customer['id']}/timeline", headers=rep["headers"])
        items = r.json()["items"] if r.status_code == 200 else []
        return [i for i in items if i["type"] == "created"]

    entries = await eventually(created_entry)
    assert len(entries) == 1
    assert entries[0]["customer_id"] == customer["id"]
    assert entries[0]["actor_id"] == rep["id"]


async def test_same_phone_in_another_writing_is_refused(client, org):
    rep = org["rep"]
    local = random_mobile()
    first = await client.post("/api/v1/customers", headers=rep["headers"], json={"name": "Trần Thị Bình", "phone": local})
    assert first.status_code == 201
    second = await client.post("/api/v1/customers", headers=rep["headers"],
                               json={"name": "Trần Bình", "phone": "+84 " + local[1:]})
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    problem = second.json()
    assert problem["code"] == "phone_exists"
    assert problem["title"] == "Số điện thoại đã tồn tại"
    assert problem["existing_id"] == first.json()["id"]


async def test_duplicate_phone_hides_a_record_the_caller_cannot_see(client, org):
    local = random_mobile()
    assert (await client.post("/api/v1/customers", headers=org["rep"]["headers"],
                              json={"name": "Lê Văn Cường", "phone": local})).status_code == 201
    r = await client.post("/api/v1/customers", headers={**org["outsider"]["headers"], "Accept-Language": "en"},
                          json={"name": "Lê Cường", "phone": local})
    assert r.status_code == 409
    assert r.json()["title"] == "Phone number already exists"
    assert "existing_id" not in r.json()


async def test_timeline_and_customer_are_invisible_to_a_rep_of_another_branch(client, org):
    r = await client.post("/api/v1/customers", headers=org["rep"]["headers"],
                          json={"name": "Phạm Thị Dung", "phone": random_mobile()})
    customer_id = r.json()["id"]
    assert (await client.get(f"/api/v1/customers/{customer_id}", headers=org["outsider"]["headers"])).status_code == 404
    assert (await client.get(f"/api/v1/customers/{customer_id}", headers=org["manager"]["headers"])).status_code == 200

    async def manager_sees_timeline():
        t = await client.get(f"/api/v1/customers/{customer_id}/timeline", headers=org["manager"]["headers"])
        return t.status_code == 200 and t.json()["items"]

    await eventually(manager_sees_timeline)
    t = await client.get(f"/api/v1/customers/{customer_id}/timeline", headers=org["outsider"]["headers"])
    assert t.status_code == 404


async def test_invalid_input_gets_field_errors_in_both_languages(client, org):
    r = await client.post("/api/v1/customers", headers=org["rep"]["headers"], json={"name": "", "phone": "12"})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert "name" in fields
    r = await client.post("/api/v1/customers", headers={**org["rep"]["headers"], "Accept-Language": "en"},
                          json={"name": "Hoàng Văn Em", "phone": "12"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "phone", "code": "invalid_phone", "message": "Invalid phone number."}]


async def test_anonymous_calls_are_refused_at_the_gateway(client):
    r = await client.get(f"/api/v1/customers/{uuid.uuid4()}")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


async def test_idempotency_key_replays_the_creation(client, org):
    headers = {**org["rep"]["headers"], "Idempotency-Key": uuid.uuid4().hex}
    body = {"name": "Võ Thị Giang", "phone": random_mobile()}
    first = await client.post("/api/v1/customers", headers=headers, json=body)
    again = await client.post("/api/v1/customers", headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers.get("idempotent-replayed") == "true"
    other = await client.post("/api/v1/customers", headers=headers, json={**body, "name": "Khác"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
