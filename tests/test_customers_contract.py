"""What a user of the customers API meets through the gateway: a province is sent back as it is
read, a bad date and a wrong tax-code check digit say what is wrong, statuses and labels have an
English name, and the temperature labels exclude each other."""
from __future__ import annotations

from e2e_support import random_mobile


async def test_a_customer_read_can_be_sent_back(client, org):
    rep = org["rep"]["headers"]
    created = await client.post("/api/v1/customers", headers=rep, json={
        "name": "Vũ Thị Hạnh", "phone": random_mobile(), "province": "Hue", "labels": ["warm"]})
    assert created.status_code == 201, created.text
    customer = created.json()
    assert customer["province"] == {"code": 46, "name": "Thành phố Huế"}
    sent_back = await client.patch(f"/api/v1/customers/{customer['id']}",
                                   headers={**rep, "If-Match": f'"{customer["version"]}"'},
                                   json={"province": customer["province"], "labels": ["warm", "hot"]})
    assert sent_back.status_code == 200, sent_back.text
    assert sent_back.json()["province"] == customer["province"] and sent_back.json()["labels"] == ["hot"]


async def test_wrong_values_say_what_is_expected(client, org):
    r = await client.post("/api/v1/customers", headers={**org["rep"]["headers"], "Accept-Language": "en"}, json={
        "name": "Vũ Văn Hải", "phone": random_mobile(), "birthday": "1990/31/12", "tax_code": "0100109107"})
    assert r.status_code == 422
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert set(errors) == {"birthday", "tax_code"}
    assert "YYYY-MM-DD or dd/mm/yyyy" in errors["birthday"]["message"]
    assert errors["tax_code"]["code"] == "tax_code_checksum"


async def test_statuses_and_labels_have_an_english_name(client, org):
    statuses = (await client.get("/api/v1/customer-statuses", headers=org["rep"]["headers"])).json()
    assert {s["key"]: s["name_en"] for s in statuses}["potential"] == "Potential"
    labels = (await client.get("/api/v1/customer-labels", headers=org["rep"]["headers"])).json()
    assert {label["key"]: label["name_en"] for label in labels}["cold"] == "Cold"
