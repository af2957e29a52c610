"""The service-to-service paths (crmkit.customers_client), not in the public document. The selection
a distribution by filter resolves (issue 13, A-3): `POST /internal/v1/customers/distributable`
answers the matching customers the caller may hand over, as packed rows (crmkit.customer_rows),
with the filter's 422s. Read your own writes (issue 15): `POST /internal/v1/customers/snapshots`
answers who may see each of the given customers that the caller sees now."""
from __future__ import annotations

import uuid
from functools import partial

import pytest

from crmkit import customer_rows, customers_client
from crmkit.keys import new_pair
from crmkit.testing import bearer, running_service, service_client, temp_database

from crm_customers.app import MIGRATIONS, create_app
from crm_customers.settings import CustomersSettings

PRIVATE, PUBLIC = new_pair()
auth = partial(bearer, PRIVATE)
PATH = "/internal/v1/customers/distributable"
SNAPSHOTS = "/internal/v1/customers/snapshots"


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


async def snapshots(client, who: dict, ids: list[str]) -> dict[str, dict]:
    r = await client.post(SNAPSHOTS, headers=who, json={"ids": ids})
    assert r.status_code == 200, r.text
    return {c["id"]: c for c in r.json()["customers"]}


async def test_snapshots_of_the_customers_the_caller_sees_now(client):
    rep_id = uuid.uuid4()
    rep = auth(user_id=rep_id, path="/r/b/t/")
    mine = await create(client, rep, "0912000311", province="Hà Nội")
    renamed = await create(client, rep, "0912000312")
    assert (await client.patch(f"/api/v1/customers/{renamed}", headers={**rep, "If-Match": '"1"'},
                               json={"name": "Lê Văn Chín"})).status_code == 200
    elsewhere = await create(client, auth(path="/r/x/t/"), "0912000313")
    asked = [mine, renamed, elsewhere, str(uuid.uuid4())]

    seen = await snapshots(client, rep, asked)
    assert sorted(seen) == sorted([mine, renamed])
    assert seen[mine] == {"id": mine, "owner_id": str(rep_id), "owner_unit_id": seen[mine]["owner_unit_id"],
                          "owner_unit_path": "/r/b/t/", "holder_id": None, "viewer_ids": [], "province_code": 1,
                          "version": 1}
    assert seen[renamed]["version"] == 2
    assert await snapshots(client, auth(path="/r/b/t/"), asked) == {}  # a teammate sees none of them
    assert sorted(await snapshots(client, auth("manager", path="/r/b/"), asked)) == sorted([mine, renamed])
    integrator = partial(auth, kind="service")
    assert len(await snapshots(client, integrator(perms=["customers.read"]), asked)) == 3
    assert await snapshots(client, integrator(perms=["calls.write"]), asked) == {}

    assert (await client.delete(f"/api/v1/customers/{mine}", headers=rep)).status_code == 204
    assert list(await snapshots(client, rep, asked)) == [renamed]  # deleted: gone from the answer


async def test_snapshots_are_asked_for_a_bounded_list_of_ids(client):
    rep = auth()
    too_many = [str(uuid.uuid4()) for _ in range(customers_client.MAX_SNAPSHOTS + 1)]
    for body in ({"ids": []}, {"ids": too_many}, {"ids": ["not-an-id"]}, {}):
        r = await client.post(SNAPSHOTS, headers=rep, json=body)
        assert r.status_code == 422, (body, r.text)
    assert (await client.post(SNAPSHOTS, json={"ids": [str(uuid.uuid4())]})).status_code == 401
