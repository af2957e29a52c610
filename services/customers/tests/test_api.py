"""The HTTP layer over real PostgreSQL: status codes, ETag / If-Match, languages, admin writes."""
from __future__ import annotations

import uuid
from functools import partial

import pytest

from crmkit.keys import new_pair
from crmkit.testing import bearer, idempotent_routes_on_the_plain_pool, running_service, service_client, temp_database

from crm_customers.app import MIGRATIONS, create_app
from crm_customers.settings import CustomersSettings

PRIVATE, PUBLIC = new_pair()


@pytest.fixture
async def app():
    async with temp_database(MIGRATIONS) as dsn:
        settings = CustomersSettings(database_url=dsn, run_mode="api")
        async with running_service(create_app, settings, public_key=PUBLIC) as app:
            yield app


@pytest.fixture
async def api(app):
    async with service_client(app) as client:
        yield client


auth = partial(bearer, PRIVATE)  # auth(*roles, path=..., user_id=...): a caller's headers


async def test_create_read_patch_with_versions(api):
    owner = auth()
    created = await api.post("/api/v1/customers", headers=owner, json={
        "name": "Nguyễn Văn An", "phone": "0912 345 678", "province": "Đà Nẵng", "labels": ["hot"], "birthday": "01/02/1990"})
    assert created.status_code == 201, created.text
    customer = created.json()
    assert created.headers["etag"] == '"1"' and customer["province"]["code"] == 48 and customer["birthday"] == "1990-02-01"
    url = f"/api/v1/customers/{customer['id']}"
    read = await api.get(url, headers=owner)
    assert read.status_code == 200 and read.headers["etag"] == '"1"' and read.json() == {**customer, "counts": read.json()["counts"]}
    assert (await api.patch(url, headers=owner, json={"note": "x"})).json()["code"] == "precondition_required"
    patched = await api.patch(url, headers={**owner, "If-Match": '"1"'}, json={"note": "Gọi lại"})
    assert patched.status_code == 200 and patched.headers["etag"] == '"2"' and patched.json()["note"] == "Gọi lại"
    stale = await api.patch(url, headers={**owner, "If-Match": '"1"'}, json={"note": "y"})
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"
    assert (await api.patch(url, headers={**auth(), "If-Match": '"2"'}, json={"note": "z"})).status_code == 404
    status = await api.post(f"{url}/status", headers=owner, json={"status": "potential", "note": "Quan tâm"})
    assert status.status_code == 200 and status.json()["status"] == "potential" and status.headers["etag"] == '"3"'


async def test_field_errors_come_together_in_the_callers_language(api):
    r = await api.post("/api/v1/customers", headers={**auth(), "Accept-Language": "en"},
                       json={"name": "", "phone": "12", "email": "x", "status": "nope"})
    assert r.status_code == 422
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert set(errors) == {"name", "phone", "email", "status"}
    assert errors["status"]["message"] == "Unknown status nope."
    r = await api.post("/api/v1/customers", headers=auth(), json={"name": "An", "phone": "12"})
    assert r.json()["errors"] == [{"field": "phone", "code": "invalid_phone", "message": "Số điện thoại không hợp lệ."}]


async def test_configuration_is_listed_to_all_and_written_by_admins(api):
    statuses = await api.get("/api/v1/customer-statuses", headers=auth())
    assert [s["key"] for s in statuses.json()][:2] == ["new", "contacted"]
    body = {"name": "Hội chợ", "description": "Khách gặp ở hội chợ"}
    assert (await api.post("/api/v1/customer-groups", headers=auth(), json=body)).status_code == 403
    created = await api.post("/api/v1/customer-groups", headers=auth("admin"), json=body)
    assert created.status_code == 201 and created.json()["description"] == "Khách gặp ở hội chợ"
    group_url = f"/api/v1/customer-groups/{created.json()['id']}"
    assert (await api.patch(group_url, headers=auth("admin"), json={"description": "Mới"})).json()["description"] == "Mới"
    assert (await api.delete(group_url, headers=auth("admin"))).status_code == 204


async def test_a_province_round_trips_as_read_and_errors_name_the_field_only(api):
    owner = auth()
    created = (await api.post("/api/v1/customers", headers=owner, json={
        "name": "Trần Thị Bình", "phone": "0912 345 670", "province": 48})).json()
    url, province = f"/api/v1/customers/{created['id']}", created["province"]
    assert province == {"code": 48, "name": "Thành phố Đà Nẵng"}
    version = created["version"]
    for sent in (province, {"code": 48}, {"name": "Đà Nẵng"}, 48, "Đà Nẵng"):
        patched = await api.patch(url, headers={**owner, "If-Match": f'"{version}"'}, json={"province": sent})
        assert patched.status_code == 200, (sent, patched.text)
        assert patched.json()["province"] == province
        version = patched.json()["version"]
    for wrong in ([48], 4.8, True, {"code": 48, "name": "Hà Nội"}, {"code": 48, "x": 1}, {}):
        refused = await api.patch(url, headers={**owner, "If-Match": f'"{version}"'}, json={"province": wrong})
        assert refused.status_code == 422, (wrong, refused.text)
        assert {e["field"] for e in refused.json()["errors"]} <= {"province", "province.code", "province.x"}, wrong


async def test_a_bad_date_names_the_forms_and_a_wrong_check_digit_says_so(api):
    owner = {**auth(), "Accept-Language": "en"}
    r = await api.post("/api/v1/customers", headers=owner, json={
        "name": "Lê Văn Cường", "phone": "0912 345 671", "birthday": "31-31-1990", "tax_code": "0100109107"})
    assert r.status_code == 422
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert errors["birthday"]["code"] == "invalid_date"
    assert "YYYY-MM-DD or dd/mm/yyyy" in errors["birthday"]["message"]
    assert errors["tax_code"]["code"] == "tax_code_checksum" and "check digit" in errors["tax_code"]["message"]
    wrong_length = await api.post("/api/v1/customers", headers=owner, json={
        "name": "Lê Văn Cường", "phone": "0912 345 671", "tax_code": "01001091"})
    assert [(e["field"], e["code"]) for e in wrong_length.json()["errors"]] == [("tax_code", "invalid_tax_code")]
    # a list's day filters take the forms a record takes, and say so when wrong
    assert (await api.get("/api/v1/customers", headers=owner, params={"birthday_from": "01/02/1990"})).status_code == 200
    refused = await api.get("/api/v1/customers", headers=owner, params={"birthday_from": "32/01/1990"})
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("birthday_from", "invalid_date")]
    assert "dd/mm/yyyy" in refused.json()["errors"][0]["message"]


async def test_statuses_and_labels_carry_an_english_name(api):
    statuses = {s["key"]: s for s in (await api.get("/api/v1/customer-statuses", headers=auth())).json()}
    assert (statuses["new"]["name"], statuses["new"]["name_en"]) == ("Mới", "New")
    assert statuses["contract_closed"]["name_en"] == "Contract closed"
    labels = {label["key"]: label for label in (await api.get("/api/v1/customer-labels", headers=auth())).json()}
    assert [labels[k]["name_en"] for k in ("hot", "warm", "cold", "reputable")] == ["Hot", "Warm", "Cold", "Reputable"]
    admin = auth("admin")
    created = await api.post("/api/v1/customer-labels", headers=admin,
                             json={"name": "Đối tác", "name_en": " Partner ", "category": None})
    assert created.status_code == 201, created.text
    assert (created.json()["key"], created.json()["name_en"]) == ("doi_tac", "Partner")
    url = f"/api/v1/customer-labels/{created.json()['id']}"
    assert (await api.patch(url, headers=admin, json={"name_en": "Business partner"})).json()["name_en"] == \
        "Business partner"
    assert (await api.patch(url, headers=admin, json={"name_en": ""})).json()["name_en"] is None
    too_long = await api.post("/api/v1/customer-statuses", headers=admin, json={"name": "Chờ", "name_en": "x" * 101})
    assert [(e["field"], e["code"]) for e in too_long.json()["errors"]] == [("name_en", "too_long")]


async def test_setting_hot_on_a_warm_customer_takes_warm_off(api):
    owner = auth()
    created = (await api.post("/api/v1/customers", headers=owner, json={
        "name": "Phạm Văn Dũng", "phone": "0912 345 672", "labels": ["premium", "warm"]})).json()
    assert created["labels"] == ["premium", "warm"]
    patched = await api.patch(f"/api/v1/customers/{created['id']}", headers={**owner, "If-Match": '"1"'},
                              json={"labels": ["premium", "hot", "warm"]})
    assert patched.status_code == 200 and patched.json()["labels"] == ["premium", "hot"]


async def test_a_requests_correlation_id_and_caller_reach_the_events_it_publishes(app, api):
    """The message context (crmkit.unit_of_work), not threaded through the handlers."""
    me = uuid.uuid4()
    created = await api.post("/api/v1/customers", headers={**auth(user_id=me), "X-Correlation-ID": "corr-create-1"},
                             json={"name": "Trần Thị Bình", "phone": "0912 345 679"})
    assert created.status_code == 201, created.text
    url = f"/api/v1/customers/{created.json()['id']}"
    changed = await api.patch(url, headers={**auth(user_id=me), "If-Match": '"1"', "X-Correlation-ID": "corr-edit-2"},
                              json={"status": "contacted"})
    assert changed.status_code == 200, changed.text
    published = await app.state.pool.fetch("SELECT payload FROM outbox ORDER BY id")
    assert [(p["payload"]["type"], p["payload"]["source"], p["payload"]["actor"], p["payload"]["correlation_id"],
             p["payload"]["causation_id"]) for p in published] == [
        ("customer.created", "customers", str(me), "corr-create-1", None),
        ("customer.updated", "customers", str(me), "corr-edit-2", None),
        ("customer.status_changed", "customers", str(me), "corr-edit-2", None)]


async def test_no_idempotent_route_also_takes_the_plain_pool(app):
    """The key, the effect and the answer commit together only on `once.pool` (crmkit.idempotency)."""
    assert idempotent_routes_on_the_plain_pool(app) == []
