"""The selection a distribution by filter resolves (issue 13, A-3): `POST /internal/v1/customers/
distributable` answers the matching customers the caller may hand over, as packed rows
(crmkit.customer_rows), with the filter's 422s; it is not in the public document."""
from __future__ import annotations

import uuid
from functools import partial

import pytest

from crmkit import customer_rows
from crmkit.keys import new_pair
from crmkit.testing import bearer, running_service, service_client, temp_database

from crm_customers.app import MIGRATIONS, create_app
from crm_customers.settings import CustomersSettings

PRIVATE, PUBLIC = new_pair()
auth = partial(bearer, PRIVATE)
PATH = "/internal/v1/customers/distributable"


@pytest.fixture
async def client():
    async with temp_database(MIGRATIONS) as dsn:
        settings = CustomersSettings(database_url=dsn, run_mode="api")
        async with running_service(create_app, settings, public_key=PUBLIC) as app, service_client(app) as http:
            yield http


async def create(client, who: dict, phone: str, **fields) -> str:
    r = await client.post("/api/v1/customers", headers=who, json={"name": "Lê Văn Tám", "phone": phone, **fields})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def selection(client, who: dict, flt: dict, limit: int = 100_001) -> list[customer_rows.CustomerRow]:
    r = await client.post(PATH, headers=who, json={"filter": flt, "limit": limit})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == customer_rows.MEDIA_TYPE
    return customer_rows.decode(r.content)


async def test_matching_customers_the_caller_may_hand_over(client):
    rep_id = uuid.uuid4()
    rep = auth(user_id=rep_id, path="/r/b/t/")
    hanoi = await create(client, rep, "0912000301", province="Hà Nội")
    saigon = await create(client, rep, "0912000302", province={"code": 79})
    await create(client, auth(path="/r/x/t/"), "0912000303")  # another branch's

    manager = auth("manager", path="/r/b/")
    rows = await selection(client, manager, {})
    assert sorted(str(r.id) for r in rows) == sorted([hanoi, saigon])
    by_id = {str(r.id): r for r in rows}
    assert by_id[hanoi].province_code == 1 and by_id[saigon].province_code == 79
    assert by_id[hanoi].owner_id == rep_id and by_id[hanoi].owner_unit_path == "/r/b/t/"
    assert by_id[hanoi].owner_unit_id is not None and by_id[hanoi].version == 1
    assert [str(r.id) for r in await selection(client, manager, {"province": ["79"]})] == [saigon]
    assert len(await selection(client, manager, {}, limit=1)) == 1
    capped = await client.post(PATH, headers=manager, json={"filter": {}, "limit": 1})
    assert customer_rows.count(capped.content) == 1 and customer_rows.matched(capped.content) == 2
    assert customer_rows.matched((await client.post(PATH, headers=manager, json={"filter": {}, "limit": 2})).content) == 2
    assert await selection(client, auth("manager", path="/r/x/"), {"scope": "all", "province": ["79"]}) == []
    assert len(await selection(client, auth("admin", path="/r/"), {})) == 3


async def test_a_filter_refused_as_in_lists(client):
    r = await client.post(PATH, headers={**auth("manager", path="/r/b/"), "Accept-Language": "en"},
                          json={"filter": {"status": ["no_such_status"]}, "limit": 10})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["code"] == "unknown_status"
    assert (await client.post(PATH, json={"filter": {}, "limit": 10})).status_code == 401


async def test_not_in_the_public_document(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert paths and not [p for p in paths if p.startswith("/internal")]
