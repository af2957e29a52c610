"""HTTP layer of attribute definitions, saved views, referral tree and detail counts."""
from __future__ import annotations

import uuid
from functools import partial

import pytest

from crmkit.consumer import EventConsumer
from crmkit.events import Envelope
from crmkit.keys import new_pair
from crmkit.testing import bearer, running_service, service_client, temp_database

from crm_customers.app import MIGRATIONS, create_app
from crm_customers.consumers import CONSUMERS
from crm_customers.settings import CustomersSettings

PRIVATE, PUBLIC = new_pair()


@pytest.fixture
async def api():
    async with temp_database(MIGRATIONS) as dsn:
        settings = CustomersSettings(database_url=dsn, run_mode="api")
        async with running_service(create_app, settings, public_key=PUBLIC) as app, service_client(app) as client:
            yield client


auth = partial(bearer, PRIVATE)  # auth(*roles, path=..., user_id=...): a caller's headers


async def test_attribute_definitions_over_http(api):
    admin, rep = auth("admin"), auth()
    body = {"key": "income", "name": "Thu nhập", "type": "select", "filterable": True,
            "options": [{"value": "low", "label": "Thấp"}, {"value": "high", "label": "Cao"}]}
    assert (await api.post("/api/v1/customer-attributes", headers=rep, json=body)).status_code == 403
    created = await api.post("/api/v1/customer-attributes", headers=admin, json=body)
    assert created.status_code == 201 and created.headers["location"].endswith(created.json()["id"])
    url = f"/api/v1/customer-attributes/{created.json()['id']}"
    listed = await api.get("/api/v1/customer-attributes", headers=rep)
    assert [a["key"] for a in listed.json()] == ["income"]
    customer = await api.post("/api/v1/customers", headers=rep,
                              json={"name": "An", "phone": "0912345401", "attributes": {"income": "high"}})
    assert customer.status_code == 201
    refused = await api.patch(url, headers={**admin, "Accept-Language": "en"}, json={"options": [{"value": "low", "label": "x"}]})
    assert refused.status_code == 409 and refused.json()["code"] == "attribute_option_in_use"
    assert refused.json()["options"] == ["high"] and "high" in refused.json()["detail"]
    assert (await api.patch(url, headers=admin, json={"key": "other"})).json()["errors"][0]["code"] == "immutable"
    assert (await api.delete(url, headers=admin)).json()["code"] == "attribute_in_use"
    assert (await api.delete(url + "?force=true", headers=rep)).status_code == 403
    forced = await api.delete(url + "?force=true", headers=admin)
    assert forced.status_code == 204 and forced.headers["x-values-removed"] == "1"


async def test_saved_view_round_trip_over_http(api):
    me = auth()
    default = await api.get("/api/v1/me/views/customers", headers=me)
    assert default.status_code == 200 and default.json()["saved"] is False
    put = await api.put("/api/v1/me/views/customers", headers=me, json={
        "columns": [{"key": "name", "width": 200}, {"key": "status"}], "default_scope": "mine"})
    assert put.status_code == 200 and put.json()["saved"] is True
    read = (await api.get("/api/v1/me/views/customers", headers=me)).json()
    assert read["columns"] == [{"key": "name", "width": 200}, {"key": "status", "width": None}]
    assert read["filters_shown"] == default.json()["filters_shown"]
    bad = await api.put("/api/v1/me/views/customers", headers=me, json={"columns": [{"key": "nope"}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "columns.0.key"


async def test_referrals_and_detail_counts_over_http(api):
    user_id = uuid.uuid4()
    me = auth(user_id=user_id)
    root = (await api.post("/api/v1/customers", headers=me, json={"name": "Gốc", "phone": "0912345402"})).json()
    child = (await api.post("/api/v1/customers", headers=me,
                            json={"name": "Con", "phone": "0912345403", "referred_by": root["id"]})).json()
    tree = await api.get(f"/api/v1/customers/{root['id']}/referrals", headers=me)
    assert tree.status_code == 200 and [i["id"] for i in tree.json()["items"]] == [child["id"]]
    assert (await api.get(f"/api/v1/customers/{root['id']}/referrals", headers=auth())).status_code == 404
    assert (await api.get(f"/api/v1/customers/{root['id']}/referrals?max_depth=11", headers=me)).status_code == 422

    detail = await api.get(f"/api/v1/customers/{root['id']}", headers=me)
    assert detail.json()["counts"] == {"timeline": 0, "care_tickets": 0, "open_support_tickets": 0,
                                       "attachments": 0, "comments": 0}
    spec = next(c for c in CONSUMERS if c.name == "interactions")
    consumer = EventConsumer(name="t", pool=api.app.state.pool, bootstrap="unused:0",
                             topics=spec.topics, handlers=spec.handlers)
    for type_ in ("interaction.recorded", "care_ticket.created", "comment.posted"):
        e = Envelope(type=type_, source="interactions", subject=root["id"],
                     data={"id": str(uuid.uuid4()), "customer_id": root["id"]})
        await consumer.handle(e, spec.handlers[type_])
    counts = (await api.get(f"/api/v1/customers/{root['id']}", headers=me)).json()["counts"]
    assert (counts["timeline"], counts["care_tickets"], counts["comments"]) == (1, 1, 1)
