"""GET /api/v1/customers over HTTP (the service itself, real PostgreSQL): query-string filters,
problem+json answers, pages and counts, service accounts."""
from __future__ import annotations

from functools import partial

import pytest

from crmkit.keys import new_pair
from crmkit.testing import bearer, running_service, service_client, temp_database

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
