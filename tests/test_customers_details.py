"""Attributes, saved views, referral tree and detail counts through the gateway (C-3, C-8, C-12,
C-14): definitions written by an admin and enforced on customers, a user's view round trip, the
referral tree with a hidden connector, and counts kept from the interactions service's events."""
from __future__ import annotations

import uuid

from e2e_support import eventually, random_mobile


async def create(client, who: dict, body: dict) -> dict:
    r = await client.post("/api/v1/customers", headers=who["headers"], json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def test_attribute_definitions_and_values_on_a_customer(client, admin, org):
    key = f"income_{uuid.uuid4().hex[:6]}"
    body = {"key": key, "name": "Thu nhập", "type": "select", "filterable": True, "display_order": 5,
            "options": [{"value": "low", "label": "Dưới 10 triệu"}, {"value": "high", "label": "Trên 10 triệu"}]}
    assert (await client.post("/api/v1/customer-attributes", headers=org["rep"]["headers"], json=body)).status_code == 403
    created = await client.post("/api/v1/customer-attributes", headers=admin, json=body)
    assert created.status_code == 201, created.text
    url = f"/api/v1/customer-attributes/{created.json()['id']}"
    listed = await client.get("/api/v1/customer-attributes", headers=org["rep"]["headers"])
    assert key in [a["key"] for a in listed.json()]
    orders = [a["display_order"] for a in listed.json()]
    assert orders == sorted(orders)

    wrong = await client.post("/api/v1/customers", headers=org["rep"]["headers"],
                              json={"name": "Lê Văn Thu", "phone": random_mobile(), "attributes": {key: "huge"}})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == f"attributes.{key}"
    customer = await create(client, org["rep"], {"name": "Lê Văn Thu", "phone": random_mobile(),
                                                 "attributes": {key: "high"}})
    assert customer["attributes"] == {key: "high"}

    removal = await client.patch(url, headers=admin, json={"options": [{"value": "low", "label": "Thấp"}]})
    assert removal.status_code == 409 and removal.json()["code"] == "attribute_option_in_use"
    renamed = await client.patch(url, headers=admin, json={"name": "Mức thu nhập"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Mức thu nhập"
    assert (await client.delete(url, headers=admin)).json()["code"] == "attribute_in_use"
    assert (await client.delete(f"{url}?force=true", headers=admin)).status_code == 204
    read = await client.get(f"/api/v1/customers/{customer['id']}", headers=org["rep"]["headers"])
    assert read.json()["attributes"] == {} and read.json()["version"] == customer["version"] + 1


async def test_saved_view_round_trip(client, org):
    who = org["rep2"]["headers"]
    first = await client.get("/api/v1/me/views/customers", headers=who)
    assert first.status_code == 200 and "columns" in first.json()
    view = {"filters_shown": ["status", "labels", "province"],
            "columns": [{"key": "name", "width": 220}, {"key": "phone"}, {"key": "status"}],
            "default_scope": "mine", "default_sort": "-updated_at",
            "saved_filters": [{"name": "Khách nóng", "filter": {"labels": ["hot"]}}]}
    put = await client.put("/api/v1/me/views/customers", headers=who, json=view)
    assert put.status_code == 200, put.text
    read = (await client.get("/api/v1/me/views/customers", headers=who)).json()
    assert read["saved"] is True and read["default_scope"] == "mine" and read["saved_filters"] == view["saved_filters"]
    assert [c["key"] for c in read["columns"]] == ["name", "phone", "status"]
    other = (await client.get("/api/v1/me/views/customers", headers=org["rep"]["headers"])).json()
    assert other["saved_filters"] != view["saved_filters"]
    bad = await client.put("/api/v1/me/views/customers", headers=who, json={"columns": [{"key": "no_such_field"}]})
    assert bad.status_code == 422


async def test_referral_tree_hides_what_the_caller_may_not_see(client, org):
    rep, manager = org["rep"], org["manager"]
    root = await create(client, rep, {"name": "Người giới thiệu", "phone": random_mobile()})
    child = await create(client, rep, {"name": "Được giới thiệu", "phone": random_mobile(), "referred_by": root["id"]})
    # a customer of the manager (unassigned in the branch) referred by the child, and one below it owned by rep
    middle = await create(client, manager, {"name": "Khách của quản lý", "phone": random_mobile(),
                                            "referred_by": child["id"]})
    leaf = await create(client, manager, {"name": "Khách cuối", "phone": random_mobile(), "referred_by": middle["id"],
                                          "owner_id": rep["id"]})
    tree = await client.get(f"/api/v1/customers/{root['id']}/referrals", headers=rep["headers"])
    assert tree.status_code == 200, tree.text
    items = {i["id"]: i for i in tree.json()["items"]}
    assert items[child["id"]]["name"] == "Được giới thiệu" and items[child["id"]]["depth"] == 1
    assert items[middle["id"]]["hidden"] is True and items[middle["id"]]["name"] is None
    assert items[leaf["id"]]["depth"] == 3 and items[leaf["id"]]["referred_by"] == middle["id"]
    full = await client.get(f"/api/v1/customers/{root['id']}/referrals", headers=manager["headers"])
    assert not any(i["hidden"] for i in full.json()["items"]) and len(full.json()["items"]) == 3
    outsider = await client.get(f"/api/v1/customers/{root['id']}/referrals", headers=org["outsider"]["headers"])
    assert outsider.status_code == 404


async def test_detail_counts_come_from_the_interactions_events(client, org):
    rep = org["rep"]
    customer = await create(client, rep, {"name": "Khách đếm", "phone": random_mobile()})
    url = f"/api/v1/customers/{customer['id']}"
    detail = (await client.get(url, headers=rep["headers"])).json()
    assert set(detail["counts"]) == {"timeline", "care_tickets", "open_support_tickets", "attachments", "comments"}

    async def counted():  # the `created` timeline entry, recorded by interactions, comes back as a count
        return (await client.get(url, headers=rep["headers"])).json()["counts"]["timeline"] >= 1

    await eventually(counted, timeout=30)
