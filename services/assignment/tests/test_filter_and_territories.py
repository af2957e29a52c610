"""A distribution by filter (A-3, issue 13) resolved by the real customers service (its app in
process, its own database), the territory strategies against PostgreSQL, and who may map which
province to which unit."""
from __future__ import annotations

import uuid

import httpx
import pytest

from crmkit import directory
from crmkit.auth import Principal
from crmkit.customers_client import CustomersClient
from crmkit.domain_errors import DomainError
from crmkit.errors import status_of_domain_error
from crmkit.events import Envelope
from crmkit.keys import new_pair
from crmkit.testing import running_service, service_client, sign_test_token, temp_database

from crm_assignment.consumers import CUSTOMER_HANDLERS
from crm_assignment.handlers import assignments, territories
from crm_customers.app import MIGRATIONS as CUSTOMERS_MIGRATIONS
from crm_customers.app import create_app as create_customers_app
from crm_customers.settings import CustomersSettings

PRIVATE, PUBLIC = new_pair()
ROOT = uuid.uuid4()
BRANCH_ID, TEAM_ID, TEAM2_ID, OTHER_ID = (uuid.uuid4() for _ in range(4))
BRANCH, OTHER = f"/{ROOT}/{BRANCH_ID}/", f"/{ROOT}/{OTHER_ID}/"
TEAM, TEAM2 = f"{BRANCH}{TEAM_ID}/", f"{BRANCH}{TEAM2_ID}/"
NEW_JOB = {"content": "Gọi khách hội chợ", "type_": "telesales", "target": None}


async def unit(pool, unit_id: uuid.UUID, path: str, name: str) -> None:
    async with pool.acquire() as conn:
        await directory.HANDLERS["unit.created"](conn, Envelope(type="unit.created", source="gateway", subject=str(
            unit_id), data={"id": str(unit_id), "name": name, "path": path}))


async def person(pool, path: str, *roles: str) -> Principal:
    unit_id = uuid.UUID(path.rstrip("/").rsplit("/", 1)[-1])
    data = {"id": str(uuid.uuid4()), "username": f"u{uuid.uuid4().hex[:6]}", "unit_id": str(unit_id),
            "unit_path": path, "roles": list(roles), "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway",
                                                                subject=data["id"], data=data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=unit_id, unit_path=path,
                     roles=frozenset(roles))


def token(who: Principal) -> str:
    return "Bearer " + sign_test_token(PRIVATE, user_id=who.user_id, roles=tuple(who.roles), unit_id=who.unit_id,
                                       unit_path=who.unit_path, username=who.username)


async def code_of(awaitable) -> tuple[int, str, DomainError]:
    with pytest.raises(DomainError) as caught:
        await awaitable
    return status_of_domain_error(caught.value), caught.value.code, caught.value


@pytest.fixture
async def customers_app():
    """The customers service, in process on its own database."""
    async with temp_database(CUSTOMERS_MIGRATIONS) as dsn:
        async with running_service(create_customers_app, CustomersSettings(database_url=dsn, run_mode="api"),
                                   public_key=PUBLIC) as app, service_client(app) as http:
            yield app, http


@pytest.fixture
async def customers_client(customers_app):
    app, _ = customers_app
    client = CustomersClient("http://customers", timeout_seconds=10, transport=httpx.ASGITransport(app=app))
    yield client
    await client.aclose()


async def new_customer(http, who: Principal, **fields) -> uuid.UUID:
    r = await http.post("/api/v1/customers", headers={"Authorization": token(who)},
                        json={"name": "Khách hội chợ", "phone": f"091{uuid.uuid4().int % 10**7:07d}", **fields})
    assert r.status_code == 201, r.text
    return uuid.UUID(r.json()["id"])


async def test_a_filter_is_resolved_by_the_customers_service_for_the_caller(pool, customers_app, customers_client):
    _, http = customers_app
    manager, rep, rep2 = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales"), \
        await person(pool, TEAM, "sales")
    outsider = await person(pool, OTHER, "sales")
    fair = sorted([await new_customer(http, rep, source="Hội chợ 2025") for _ in range(3)])
    await new_customer(http, outsider, source="Hội chợ 2025")  # another branch's: not the manager's to hand over
    await new_customer(http, rep, source="Website")

    # no customer event has reached this service: the customers service's answer is the selection
    made = await assignments.distribute(
        pool, principal=manager, customer_filter={"source": ["hội chợ 2025"]},
        customers=customers_client.on_behalf_of(token(manager)), text="Gọi trong ngày", new_job=NEW_JOB,
        assignees=[rep2.user_id], direct=True)
    assert (made["matched"], made["assigned"], made["fallback"], made["uncovered"]) == (
        3, 3, 0, {"count": 0, "customer_ids": []})
    [assignment] = made["assignments"]
    assert assignment["assignee_id"] == rep2.user_id and assignment["customer_count"] == 3
    rows = await pool.fetch("SELECT customer_id, previous_owner_id, previous_owner_unit_path FROM assignment_customers"
                            " ORDER BY customer_id")
    assert [(r["customer_id"], r["previous_owner_id"], r["previous_owner_unit_path"]) for r in rows] == [
        (c, rep.user_id, TEAM) for c in fair]

    nothing = await code_of(assignments.distribute(
        pool, principal=manager, customer_filter={"source": ["không ai"]}, text="x", new_job=NEW_JOB,
        customers=customers_client.on_behalf_of(token(manager)), assignees=[rep2.user_id]))
    assert nothing[:2] == (422, "validation_error") and nothing[2].errors[0].code == "nothing_matched"
    both = await code_of(assignments.distribute(
        pool, principal=manager, customer_ids=fair, customer_filter={}, text="x", new_job=NEW_JOB,
        customers=customers_client.on_behalf_of(token(manager)), assignees=[rep2.user_id]))
    assert both[:2] == (422, "validation_error") and {e.field for e in both[2].errors} == {"customer_ids", "filter"}


async def test_too_many_a_refused_filter_and_an_unreachable_service(pool, customers_app, customers_client,
                                                                     monkeypatch):
    _, http = customers_app
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    for _ in range(3):
        await new_customer(http, rep)
    monkeypatch.setattr(assignments, "MAX_CUSTOMERS", 2)  # undone after the test
    status, code, error = await code_of(assignments.distribute(
        pool, principal=manager, customer_filter={}, customers=customers_client.on_behalf_of(token(manager)),
        text="x", new_job=NEW_JOB, assignees=[rep.user_id]))
    assert (status, code, error.details) == (422, "too_many_matched", {"matched": 3})
    monkeypatch.undo()

    status, code, error = await code_of(assignments.distribute(
        pool, principal=manager, customer_filter={"status": ["no_such_status"]}, text="x", new_job=NEW_JOB,
        customers=customers_client.on_behalf_of(token(manager), "en"), assignees=[rep.user_id]))
    assert (status, code) == (422, "validation_error")
    assert [(e.field, e.code, e.message) for e in error.errors] == [
        ("filter.status.0", "unknown_status", "Unknown status no_such_status.")]

    nowhere = CustomersClient("http://127.0.0.1:9", timeout_seconds=2)  # nothing listens there
    try:
        status, code, error = await code_of(assignments.distribute(
            pool, principal=manager, customer_filter={}, customers=nowhere.on_behalf_of(token(manager)),
            text="x", new_job=NEW_JOB, assignees=[rep.user_id]))
    finally:
        await nowhere.aclose()
    assert (status, code, error.details) == (503, "customers_unavailable", {"retry_after": 5})


async def known_customers(pool, *rows: tuple[Principal | None, str, int | None]) -> list[uuid.UUID]:
    """Customers as customer.created tells this service: (owner, owner's unit path, province code)."""
    ids = sorted(uuid.uuid4() for _ in rows)
    async with pool.acquire() as conn:
        for customer_id, (owner, path, province) in zip(ids, rows, strict=True):
            unit_id = path.rstrip("/").rsplit("/", 1)[-1]
            await CUSTOMER_HANDLERS["customer.created"](conn, Envelope(
                type="customer.created", source="customers", subject=str(customer_id), data={
                    "id": str(customer_id), "owner_id": str(owner.user_id) if owner else None,
                    "owner_unit_id": unit_id, "owner_unit_path": path, "version": 1,
                    "province": {"code": province, "name": "x"} if province else None}))
    return ids


async def test_by_unit_and_by_province(pool):
    admin = await person(pool, f"/{ROOT}/", "admin")
    manager = await person(pool, BRANCH, "manager")
    rep, rep2, far = await person(pool, TEAM, "sales"), await person(pool, TEAM2, "sales"), \
        await person(pool, OTHER, "sales")
    await unit(pool, TEAM_ID, TEAM, "Nhóm 1")
    ids = await known_customers(pool, (rep, TEAM, 79), (rep2, TEAM2, 79), (None, BRANCH, 1), (far, OTHER, 48))

    by_unit = await assignments.distribute(pool, principal=admin, customer_ids=ids, text="x", new_job=NEW_JOB,
                                           strategy="by_unit", assignees=[rep.user_id, rep2.user_id])
    shares = {a["assignee_id"]: a["customer_count"] for a in by_unit["assignments"]}
    # team 1 → rep, team 2 → rep2, the branch's → either (rep first), the other branch's: a fallback (rep2)
    assert (shares, by_unit["fallback"], by_unit["assigned"]) == ({rep.user_id: 2, rep2.user_id: 2}, 1, 4)
    assert {a["strategy"] for a in by_unit["assignments"]} == {"by_unit"}
    await assignments.recall(pool, principal=admin, assignment_id=by_unit["assignments"][0]["id"])
    await assignments.recall(pool, principal=admin, assignment_id=by_unit["assignments"][1]["id"])

    mine = ids[:3]  # the manager's reach
    refused = await code_of(assignments.distribute(pool, principal=manager, customer_ids=mine, text="x",
                                                   new_job=NEW_JOB, strategy="by_province",
                                                   assignees=[rep.user_id, rep2.user_id]))
    assert refused[:2] == (422, "nothing_covered")  # no province mapped yet
    await territories.set_territory(pool, principal=manager, province_code=79, unit_id=TEAM_ID)
    by_province = await assignments.distribute(pool, principal=manager, customer_ids=mine, text="x", new_job=NEW_JOB,
                                               strategy="by_province", assignees=[rep.user_id, rep2.user_id])
    # Hồ Chí Minh (79) is team 1's: both its customers to rep; Hà Nội (1) unmapped: left out, reported
    assert [(a["assignee_id"], a["customer_count"]) for a in by_province["assignments"]] == [(rep.user_id, 2)]
    assert (by_province["matched"], by_province["assigned"]) == (3, 2)
    assert by_province["uncovered"] == {"count": 1, "customer_ids": [ids[2]]}
    assert await pool.fetchval("SELECT count(*) FROM assignment_customers WHERE customer_id = $1 AND state = 'open'",
                               ids[2]) == 0


async def test_who_maps_provinces(pool):
    admin = await person(pool, f"/{ROOT}/", "admin")
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    other_manager = await person(pool, OTHER, "manager")
    await unit(pool, TEAM_ID, TEAM, "Nhóm 1")
    await unit(pool, OTHER_ID, OTHER, "Chi nhánh khác")

    listed = await territories.list_territories(pool, principal=manager)
    assert len(listed) == 34 and listed[0] == {"province_code": 1, "province_name": "Thành phố Hà Nội",
                                               "unit_id": None, "unit_path": None, "unit_name": None}
    assert (await code_of(territories.list_territories(pool, principal=rep)))[:2] == (403, "not_a_distributor")
    assert (await code_of(territories.set_territory(pool, principal=rep, province_code=1, unit_id=TEAM_ID)))[:2] == (
        403, "not_a_distributor")

    mapped = await territories.set_territory(pool, principal=manager, province_code=1, unit_id=TEAM_ID)
    assert (mapped["unit_id"], mapped["unit_path"], mapped["unit_name"]) == (TEAM_ID, TEAM, "Nhóm 1")
    # out of reach: a unit of another branch, or a province another branch covers
    assert (await code_of(territories.set_territory(pool, principal=manager, province_code=79, unit_id=OTHER_ID))
            )[:2] == (403, "territory_out_of_reach")
    assert (await code_of(territories.set_territory(pool, principal=other_manager, province_code=1,
                                                    unit_id=OTHER_ID)))[:2] == (403, "territory_out_of_reach")
    assert (await code_of(territories.clear_territory(pool, principal=other_manager, province_code=1)))[:2] == (
        403, "territory_out_of_reach")
    assert (await code_of(territories.set_territory(pool, principal=admin, province_code=999, unit_id=TEAM_ID)))[:2] \
        == (404, "not_found")
    assert (await code_of(territories.set_territory(pool, principal=admin, province_code=1, unit_id=uuid.uuid4()))
            )[:2] == (422, "unknown_unit")
    moved = await territories.set_territory(pool, principal=admin, province_code=1, unit_id=OTHER_ID)
    assert moved["unit_name"] == "Chi nhánh khác"
    await territories.clear_territory(pool, principal=admin, province_code=1)
    await territories.clear_territory(pool, principal=manager, province_code=1)  # unmapped: nothing to do
    assert (await territories.list_territories(pool, principal=admin))[0]["unit_id"] is None


async def test_provinces_follow_the_customers_events(pool):
    owner = uuid.uuid4()
    created, imported, old_import = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    async def apply(type_: str, data: dict) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await CUSTOMER_HANDLERS[type_](conn, Envelope(type=type_, source="customers", subject=str(uuid.uuid4()),
                                                          data=data))

    async def province(customer_id: uuid.UUID) -> int | None:
        return await pool.fetchval("SELECT province_code FROM customer_refs WHERE customer_id = $1", customer_id)

    await apply("customer.created", {"id": str(created), "owner_id": str(owner), "owner_unit_path": TEAM,
                                     "province": {"code": 79, "name": "Thành phố Hồ Chí Minh"}, "version": 1})
    await apply("customers.bulk_imported", {
        "ids": [str(imported)], "owner_ids": [str(owner)], "owner_unit_ids": [None], "owner_unit_paths": [TEAM],
        "versions": [1], "province_codes": [1]})
    await apply("customers.bulk_imported", {  # published before territories: no provinces
        "ids": [str(old_import)], "owner_ids": [str(owner)], "owner_unit_paths": [TEAM], "versions": [1]})
    assert (await province(created), await province(imported), await province(old_import)) == (79, 1, None)
    # an owner change says nothing of the province: it stays
    await apply("customers.bulk_owner_changed", {
        "ids": [str(created), str(imported)], "to_owner_ids": [None, None], "owner_unit_ids": [None, None],
        "owner_unit_paths": [BRANCH, BRANCH], "to_holder_ids": [None, None], "versions": [2, 2]})
    assert (await province(created), await province(imported)) == (79, 1)
    await apply("customer.updated", {"id": str(created), "owner_unit_path": BRANCH, "province": None, "version": 3})
    assert await province(created) is None
