"""GET /api/v1/customers over HTTP (the service itself, real PostgreSQL): query-string filters,
problem+json answers, pages and counts, service accounts."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from functools import partial

import pytest

from crmkit.keys import new_pair
from crmkit.testing import bearer, running_service, service_client, temp_database

from crm_customers.api.customer_list import CustomerPage, page_json
from crm_customers.app import MIGRATIONS, create_app
from crm_customers.settings import CustomersSettings

PRIVATE, PUBLIC = new_pair()
URL = "/api/v1/customers"


@pytest.fixture
async def api():
    async with temp_database(MIGRATIONS) as dsn:
        settings = CustomersSettings(database_url=dsn, run_mode="api")
        async with running_service(create_app, settings, public_key=PUBLIC) as app, service_client(app) as client:
            yield client


auth = partial(bearer, PRIVATE)  # auth(*roles, path=..., user_id=...): a caller's headers


async def test_list_search_filters_pages_and_errors(api):
    rep = auth()
    for name, phone, labels in (("Nguyễn Văn An", "0912 345 678", ["hot"]), ("Đỗ Thị Bình", "0987654321", []),
                                ("Phạm Đức Cường", "01689123456", ["hot", "premium"])):
        r = await api.post(URL, headers=rep, json={"name": name, "phone": phone, "labels": labels})
        assert r.status_code == 201, r.text

    def names(r):
        assert r.status_code == 200, r.text
        return [item["name"] for item in r.json()["items"]]

    assert names(await api.get(URL, headers=rep, params={"q": "nguyen van an"})) == ["Nguyễn Văn An"]
    assert names(await api.get(URL, headers=rep, params={"q": "do thi binh"})) == ["Đỗ Thị Bình"]
    assert names(await api.get(URL, headers=rep, params={"q": "3456"})) == ["Phạm Đức Cường"]  # 038 9123456
    assert names(await api.get(URL, headers=rep, params={"q": "+84912345678"})) == ["Nguyễn Văn An"]
    assert names(await api.get(URL, headers=rep, params={"labels": "hot", "sort": "name"})) == [
        "Nguyễn Văn An", "Phạm Đức Cường"]
    assert names(await api.get(URL, headers=rep, params=[("labels_all", "hot"), ("labels_all", "premium")])) == [
        "Phạm Đức Cường"]
    assert names(await api.get(URL, headers=rep, params={"scope": "shared"})) == []
    typo = await api.get(URL, headers=rep, params={"q": "Nguyen Vna An"})
    assert names(typo) == ["Nguyễn Văn An"] and typo.json()["fuzzy"] is True

    first = await api.get(URL, headers=rep, params={"limit": 2, "sort": "-name", "with_count": "true"})
    body = first.json()
    assert names(first) == ["Phạm Đức Cường", "Nguyễn Văn An"] and (body["count"], body["count_exact"]) == (3, True)
    second = await api.get(URL, headers=rep, params={"limit": 2, "sort": "-name", "cursor": body["next_cursor"]})
    assert names(second) == ["Đỗ Thị Bình"] and second.json()["next_cursor"] is None and "count" not in second.json()

    wrong = await api.get(URL, headers={**rep, "Accept-Language": "en"}, params={"sort": "name", "cursor": body["next_cursor"]})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_cursor"
    assert wrong.headers["content-type"].startswith("application/problem+json")
    unknown = await api.get(URL, headers={**rep, "Accept-Language": "en"}, params={"colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["errors"] == [
        {"field": "colour", "code": "unknown_field", "message": "Unknown field."}]
    bad_sort = await api.get(URL, headers=rep, params={"sort": "secret"})
    assert bad_sort.status_code == 422 and bad_sort.json()["errors"][0]["field"] == "sort"
    assert (await api.get(URL, headers=rep, params={"limit": 201})).status_code == 422
    assert (await api.get(URL, headers=rep, params={"scope": "everything"})).json()["errors"][0]["field"] == "scope"


async def test_service_accounts_need_customers_read(api):
    admin = auth("admin", path="/r/")
    assert (await api.post(URL, headers=admin, json={"name": "Khách", "phone": "0912345678"})).status_code == 201
    reader = auth("integrator", path="/r/", kind="service", perms=["customers.read"])
    r = await api.get(URL, headers=reader)
    assert r.status_code == 200 and len(r.json()["items"]) == 1
    blind = auth("integrator", path="/r/", kind="service", perms=[])
    r = await api.get(URL, headers=blind)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def _as_the_model_writes(body: dict) -> dict:
    absent = {key for key in ("count", "count_exact", "fuzzy") if body.get(key) is None}
    return json.loads(CustomerPage.model_validate(body).model_dump_json(exclude=absent))


async def test_a_page_is_the_json_its_model_documents(api):
    """The list writes its rows with orjson (page_json), not through CustomerPage: the same keys
    and the same writing of dates, times and ids as the model's own dump."""
    rep = auth()
    for body in ({"name": "Lê Thị Hoa", "phone": "0912 000 111", "email": "hoa@example.vn", "province": "Đà Nẵng",
                  "birthday": "03/02/1990", "labels": ["hot"], "tax_code": "0100109106", "note": "gọi lại"},
                 {"name": "Công ty Minh Long", "phone": "0912 000 112", "party_type": "organization",
                  "founding_date": "2001-05-06"}):
        assert (await api.post(URL, headers=rep, json=body)).status_code == 201
    for params in ({"with_count": "true"}, {"limit": 1}, {"q": "Minh Long"}, {"q": "minh lnog"}):
        r = await api.get(URL, headers=rep, params=params)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json()["items"] and r.json() == _as_the_model_writes(r.json())
    assert "fuzzy" in (await api.get(URL, headers=rep, params={"q": "minh lnog"})).json()


def test_page_json_writes_what_the_model_would():
    row = {"id": uuid.uuid4(), "name": "An", "phone": "+84912000113", "email": None, "birthday": date(1990, 2, 3),
           "province": {"code": 48, "name": "Thành phố Đà Nẵng"}, "gender": None, "address": None, "source": None,
           "customer_type": None, "company_name": None, "tax_code": None, "position": None, "note": None,
           "party_type": "individual", "organization_size": None, "founding_date": None, "industry": None,
           "description": None, "contact_person": None, "lifecycle": "lead", "status": "new", "labels": ["hot"],
           "groups": [uuid.uuid4()], "attributes": {"diem": 7.5, "hang": ["a", "b"]}, "owner_id": uuid.uuid4(),
           "owner_unit_id": None, "owner_unit_path": "/a/", "holder_id": None, "viewer_ids": [uuid.uuid4()],
           "referred_by": None, "version": 3, "created_at": datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC),
           "updated_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)}
    for result in ({"items": [row], "next_cursor": "abc"},
                   {"items": [row], "next_cursor": None, "count": 1, "count_exact": True, "fuzzy": True}):
        written = page_json(result)
        absent = {key for key in ("count", "count_exact", "fuzzy") if result.get(key) is None}
        assert written == CustomerPage.model_validate(result).model_dump_json(exclude=absent).encode()
