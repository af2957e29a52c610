"""The HTTP layer of bulk actions, restore/purge and exports: problem+json, Idempotency-Key,
202 + Location, downloads with a Vietnamese file name."""
from __future__ import annotations

import uuid
from functools import partial

import pytest

from crmkit.keys import new_pair
from crmkit.testing import bearer, running_service, service_client, temp_database

from crm_customers.app import MIGRATIONS, create_app
from crm_customers.handlers import export_worker
from crm_customers.settings import CustomersSettings

PRIVATE, PUBLIC = new_pair()


@pytest.fixture
async def service(tmp_path):
    async with temp_database(MIGRATIONS) as dsn:
        settings = CustomersSettings(database_url=dsn, run_mode="api", export_dir=str(tmp_path))
        async with running_service(create_app, settings, public_key=PUBLIC) as app, service_client(app) as client:
            yield app, client


auth = partial(bearer, PRIVATE)  # auth(*roles, path=..., user_id=...): a caller's headers


async def create(client, who: dict, phone: str, name: str = "Lê Văn Tám") -> str:
    r = await client.post("/api/v1/customers", headers=who, json={"name": name, "phone": phone})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_bulk_over_http_with_idempotency_and_confirmation(service):
    app, client = service
    rep = auth(user_id=uuid.uuid4())
    ids = [await create(client, rep, f"091200020{i}") for i in range(3)]
    body = {"action": "add_labels", "ids": ids, "labels": ["hot"]}
    key = {"Idempotency-Key": "bulk-1"}
    first = await client.post("/api/v1/customers/bulk", headers={**rep, **key}, json=body)
    assert first.status_code == 200, first.text
    assert {k: first.json()[k] for k in ("matched", "updated", "skipped_not_editable", "not_found")} == \
        {"matched": 3, "updated": 3, "skipped_not_editable": 0, "not_found": 0}
    replay = await client.post("/api/v1/customers/bulk", headers={**rep, **key}, json=body)
    assert replay.json() == first.json() and replay.headers["idempotent-replayed"] == "true"
    assert await app.state.pool.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'customers.bulk_updated'") == 1
    other = await client.post("/api/v1/customers/bulk", headers={**rep, **key}, json={**body, "labels": ["cold"]})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"

    refused = await client.post("/api/v1/customers/bulk", headers={**rep, "Accept-Language": "en"},
                                json={"action": "delete", "ids": ids})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "confirmation_required" and "confirm" in refused.json()["detail"]
    neither = await client.post("/api/v1/customers/bulk", headers=rep, json={"action": "delete", "confirm": True})
    assert neither.status_code == 422 and neither.json()["errors"][0]["code"] == "exactly_one_of"
    too_many = await client.post("/api/v1/customers/bulk", headers=rep, json={
        "action": "delete", "confirm": True, "ids": [str(uuid.uuid4()) for _ in range(10_001)]})
    assert too_many.status_code == 422
    by_filter = await client.post("/api/v1/customers/bulk", headers=rep, json={
        "action": "delete", "confirm": True, "filter": {"scope": "mine", "labels": ["hot"]}})
    assert by_filter.status_code == 200 and by_filter.json()["updated"] == 3
    assert (await client.get(f"/api/v1/customers/{ids[0]}", headers=rep)).status_code == 404

    admin = auth("admin", path="/r/")
    assert (await client.post(f"/api/v1/customers/{ids[0]}/restore", headers=rep)).status_code == 403
    restored = await client.post(f"/api/v1/customers/{ids[0]}/restore", headers=admin)
    assert restored.status_code == 200 and restored.headers["etag"] == '"4"'
    assert (await client.get(f"/api/v1/customers/{ids[0]}", headers=rep)).status_code == 200
    purged = await client.post(f"/api/v1/customers/{ids[1]}/purge", headers=admin)
    assert purged.status_code == 200 and purged.json()["id"] == ids[1]
    late = await client.post(f"/api/v1/customers/{ids[1]}/restore", headers=admin)
    assert late.status_code == 404


async def test_export_over_http(service):
    app, client = service
    rep = auth(user_id=uuid.uuid4())
    await create(client, rep, "0912000301", name="@Trần Văn Hòa")
    created = await client.post("/api/v1/customers/exports", headers=rep,
                                json={"format": "csv", "filter": {"scope": "mine"}, "columns": ["name", "phone"]})
    assert created.status_code == 202, created.text
    job = created.json()
    assert created.headers["location"] == f"/api/v1/customers/exports/{job['id']}" and job["status"] == "queued"
    assert (await client.get(f"{created.headers['location']}/file", headers=rep)).status_code == 409
    assert (await client.get(created.headers["location"], headers=auth())).status_code == 404
    await export_worker.work_once(app.state.pool, app.state.settings, worker="test")
    done = (await client.get(created.headers["location"], headers=rep)).json()
    assert done["status"] == "done" and done["row_count"] == 1 and done["file_url"].endswith("/file")
    listed = await client.get("/api/v1/customers/exports", headers=rep)
    assert [j["id"] for j in listed.json()] == [job["id"]]
    file = await client.get(done["file_url"], headers=rep)
    assert file.status_code == 200 and file.headers["content-type"].startswith("text/csv")
    disposition = file.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="khach-hang-') and "filename*=UTF-8''kh%C3%A1ch-h%C3%A0ng-" in disposition
    assert file.content.decode("utf-8-sig") == "Họ tên,Số điện thoại\r\n'@Trần Văn Hòa,'+84912000301\r\n"
    bad = await client.post("/api/v1/customers/exports", headers=rep, json={"format": "pdf"})
    assert bad.status_code == 422


async def test_a_null_filter_field_means_no_filter_in_exports_bulk_and_lists(service):
    app, client = service
    rep = auth(user_id=uuid.uuid4())
    await create(client, rep, "0912000401")
    nulls = {"scope": "mine", "q": None, "birth_month": None, "status": None, "owner_id": None,
             "attributes": {"tier": None}}
    exported = await client.post("/api/v1/customers/exports", headers=rep,
                                 json={"format": "csv", "filter": nulls, "columns": ["name"]})
    assert exported.status_code == 202, exported.text
    await export_worker.work_once(app.state.pool, app.state.settings, worker="test")
    assert (await client.get(exported.headers["location"], headers=rep)).json()["row_count"] == 1
    bulk = await client.post("/api/v1/customers/bulk", headers=rep,
                             json={"action": "add_labels", "filter": {**nulls, "scope": None}, "labels": ["hot"]})
    assert bulk.status_code == 200, bulk.text
    assert bulk.json()["updated"] == 1
    out_of_range = await client.post("/api/v1/customers/exports", headers=rep,
                                     json={"format": "csv", "filter": {"birth_month": 13}})
    assert out_of_range.status_code == 422
    assert [(e["field"], e["code"]) for e in out_of_range.json()["errors"]] == [("filter.birth_month", "out_of_range")]
