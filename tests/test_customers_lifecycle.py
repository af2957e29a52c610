"""Configuration writes, single delete, restore and purge through the gateway (C-4, C-10)."""
from __future__ import annotations

import uuid

from e2e_support import eventually, random_mobile


async def test_admin_edits_the_pipeline_and_reps_only_read_it(client, admin, org):
    rep = org["rep"]["headers"]
    key = f"cho_{uuid.uuid4().hex[:6]}"
    # last in the pipeline: the first status is every new customer's default, other tests' customers too
    created = await client.post("/api/v1/customer-statuses", headers=admin,
                                json={"key": key, "name": "Chờ duyệt", "position": 1_000_000})
    assert created.status_code == 201, created.text
    status_id = created.json()["id"]
    assert (await client.post("/api/v1/customer-statuses", headers=rep, json={"name": "X"})).status_code == 403
    renamed = await client.patch(f"/api/v1/customer-statuses/{status_id}", headers=admin, json={"name": "Chờ xét"})
    assert renamed.status_code == 200 and renamed.json()["key"] == key
    listed = (await client.get("/api/v1/customer-statuses", headers=rep)).json()
    assert {"key": key, "name": "Chờ xét"}.items() <= next(s for s in listed if s["key"] == key).items()
    group = await client.post("/api/v1/customer-groups", headers=admin, json={"name": f"Hội chợ {key}"})
    assert group.status_code == 422 and group.json()["errors"][0]["field"] == "description"
    assert (await client.delete(f"/api/v1/customer-statuses/{status_id}", headers=admin)).status_code == 204
    assert key not in {s["key"] for s in (await client.get("/api/v1/customer-statuses", headers=rep)).json()}


async def test_delete_one_customer_then_restore_then_purge(client, admin, org):
    rep = org["rep"]["headers"]
    phone = random_mobile()
    customer = (await client.post("/api/v1/customers", headers=rep, json={"name": "Đinh Văn Lộc", "phone": phone})).json()
    url = f"/api/v1/customers/{customer['id']}"
    assert (await client.delete(url, headers=org["rep2"]["headers"])).status_code == 404
    assert (await client.delete(url, headers={**rep, "If-Match": '"9"'})).status_code == 412
    assert (await client.delete(url, headers=rep)).status_code == 204
    assert (await client.get(url, headers=rep)).status_code == 404
    again = await client.post("/api/v1/customers", headers=admin, json={"name": "Đinh Lộc", "phone": phone})
    assert again.status_code == 409 and again.json()["existing_id"] == customer["id"]

    assert (await client.post(f"{url}/restore", headers=admin)).status_code == 200
    assert (await client.get(url, headers=rep)).status_code == 200

    async def timeline_has_the_name():
        r = await client.get(f"{url}/timeline", headers=rep)
        return r.status_code == 200 and any(i["data"].get("name") for i in r.json()["items"])

    await eventually(timeline_has_the_name)
    assert (await client.post(f"{url}/purge", headers=rep)).status_code == 403
    assert (await client.post(f"{url}/purge", headers=admin)).status_code == 200
    assert (await client.get(url, headers=admin)).status_code == 404

    async def timeline_erased():
        r = await client.get(f"{url}/timeline", headers=admin)
        return r.status_code == 404

    await eventually(timeline_erased)  # interactions acted on customer.purged
    reused = await client.post("/api/v1/customers", headers=rep, json={"name": "Khách mới", "phone": phone})
    assert reused.status_code == 201  # a purge frees the phone number
