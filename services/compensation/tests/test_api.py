"""The core's HTTP answers on a running service against real PostgreSQL: status codes, ETags and
If-Match, Idempotency-Key replays, problem+json refusals naming their rule with their details in
Vietnamese and English, the reasons' catalogue in the caller's language, 401 / 403 / 404."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from crmkit import directory
from crmkit.auth import Principal
from crmkit.events import Envelope
from crmkit.keys import new_pair
from crmkit.testing import (
    idempotent_routes_on_the_plain_pool,
    running_service,
    service_client,
    sign_test_token,
    temp_database,
)

from crm_compensation.app import MIGRATIONS, create_app
from crm_compensation.consumers import CUSTOMER_HANDLERS, INTERACTION_HANDLERS
from crm_compensation.settings import CompensationSettings

PRIVATE, PUBLIC = new_pair()
NOW = datetime.now(UTC)
ROOT, BRANCH, TEAM, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PATHS = {ROOT: f"/{ROOT}/", BRANCH: f"/{ROOT}/{BRANCH}/", TEAM: f"/{ROOT}/{BRANCH}/{TEAM}/", OTHER: f"/{ROOT}/{OTHER}/"}


@pytest.fixture
async def app():
    async with temp_database(MIGRATIONS) as dsn:
        settings = CompensationSettings(database_url=dsn, run_mode="api")
        async with running_service(create_app, settings, public_key=PUBLIC) as app:
            yield app


async def person(pool, unit: uuid.UUID, *roles: str) -> Principal:
    data = {"id": str(uuid.uuid4()), "username": f"u{uuid.uuid4().hex[:6]}", "unit_id": str(unit),
            "unit_path": PATHS[unit], "roles": list(roles), "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway",
                                                                subject=data["id"], data=data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=unit, unit_path=PATHS[unit],
                     roles=frozenset(roles))


def auth(principal: Principal, **extra: str) -> dict[str, str]:
    token = sign_test_token(PRIVATE, user_id=principal.user_id, roles=tuple(principal.roles),
                            unit_id=principal.unit_id, unit_path=principal.unit_path)
    return {"Authorization": f"Bearer {token}", **extra}


async def lead_customer(pool, owner: Principal, calls: int) -> uuid.UUID:
    customer_id = uuid.uuid4()
    async with pool.acquire() as conn:
        await CUSTOMER_HANDLERS["customer.created"](conn, Envelope(
            type="customer.created", source="customers", subject=str(customer_id),
            data={"id": str(customer_id), "name": "Hoàng Văn Hải", "phone": "0933333333",
                  "owner_id": str(owner.user_id), "owner_unit_path": owner.unit_path, "version": 1}))
        for _ in range(calls):
            await INTERACTION_HANDLERS["call.logged"](conn, Envelope(
                type="call.logged", source="interactions", subject=str(customer_id),
                data={"id": str(uuid.uuid4()), "customer_id": str(customer_id), "direction": "out",
                      "outcome": "wrong_number", "occurred_at": NOW.isoformat()}))
    return customer_id


PACKAGE = {"name": "Gói tháng 11", "provider": "LeadCo", "purchased_at": (NOW - timedelta(days=5)).isoformat(),
           "policy": {"reasons": ["wrong_number", "duplicate"], "window_days": 30, "max_share": 0.5,
                      "min_call_attempts": 2}}


def test_no_creating_route_runs_on_the_plain_pool():
    assert idempotent_routes_on_the_plain_pool(create_app(CompensationSettings(run_mode="api"))) == []


async def test_packages_leads_and_requests_over_http(app):
    pool = app.state.pool
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    stranger = await person(pool, OTHER, "sales")
    async with service_client(app) as client:
        assert (await client.get("/api/v1/lead-packages")).status_code == 401
        body = {**PACKAGE, "owner_id": str(rep.user_id)}
        made = await client.post("/api/v1/lead-packages", json=body, headers=auth(manager, **{"Idempotency-Key": "p1"}))
        assert made.status_code == 201, made.text
        package = made.json()
        assert made.headers["ETag"] == '"1"' and made.headers["Location"] == f"/api/v1/lead-packages/{package['id']}"
        assert package["policy"]["max_share"] == 0.5 and package["leads"] == 0
        replay = await client.post("/api/v1/lead-packages", json=body, headers=auth(manager, **{"Idempotency-Key": "p1"}))
        assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json()["id"] == package["id"]
        refused = await client.post("/api/v1/lead-packages", json=body, headers=auth(rep))
        assert refused.status_code == 403 and refused.json()["code"] == "not_package_manager"
        bad = await client.post("/api/v1/lead-packages", json={**body, "policy": {**body["policy"], "max_share": 1.5}},
                                headers=auth(manager))
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "policy.max_share"
        url = f"/api/v1/lead-packages/{package['id']}"
        assert (await client.get(url, headers=auth(stranger))).status_code == 404
        assert (await client.patch(url, json={"name": "x"}, headers=auth(manager))).status_code == 428
        patched = await client.patch(url, json={"name": "Gói tháng 12"}, headers=auth(manager, **{"If-Match": '"1"'}))
        assert patched.status_code == 200 and patched.headers["ETag"] == '"2"'
        assert (await client.patch(url, json={"name": "y", "version": 1}, headers=auth(manager))).status_code == 412
        assert (await client.patch(url, json={"name": "y", "version": 2}, headers=auth(manager))).status_code == 200

        few, enough = await lead_customer(pool, rep, 1), await lead_customer(pool, rep, 2)
        delivered = {"customer_ids": [str(few), str(enough), str(uuid.uuid4())], "delivered_at": NOW.isoformat()}
        added = await client.post(f"{url}/leads", json=delivered, headers=auth(manager, **{"Idempotency-Key": "l1"}))
        assert added.status_code == 200 and added.json() == {"added": 2, "already": 0, "unknown": 1}

        ask = {"customer_id": str(few), "package_id": package["id"], "reason_code": "wrong_number",
               "reason_text": "Số không đúng"}
        vi = await client.post("/api/v1/compensation-requests", json=ask, headers=auth(rep))
        assert vi.status_code == 422 and vi.headers["content-type"].startswith("application/problem+json")
        problem = vi.json()
        assert problem["code"] == "not_enough_call_attempts" and (problem["attempts"], problem["minimum"]) == (1, 2)
        assert "ít nhất 2" in problem["detail"]
        en = await client.post("/api/v1/compensation-requests", json=ask, headers=auth(rep, **{"Accept-Language": "en"}))
        assert en.json()["detail"] == "1 calls were recorded since the lead was delivered; at least 2 are needed."

        other_reason = await client.post("/api/v1/compensation-requests", json={**ask, "reason_code": "unreachable"},
                                         headers=auth(rep, **{"Accept-Language": "en"}))
        assert other_reason.json()["allowed"] == ["wrong_number", "duplicate"]
        assert other_reason.json()["detail"] == "This package accepts these reasons only: wrong_number, duplicate."
        ask = {**ask, "customer_id": str(enough)}
        created = await client.post("/api/v1/compensation-requests", json=ask,
                                    headers=auth(rep, **{"Idempotency-Key": "r1"}))
        assert created.status_code == 201, created.text
        request = created.json()
        assert request["status"] == "draft" and request["evidence"]["call_attempts"] == 2
        assert request["evidence"]["customer"] == {"full_name": "Hoàng Văn Hải", "phone": "0933333333"}
        again = await client.post("/api/v1/compensation-requests", json=ask,
                                  headers=auth(rep, **{"Idempotency-Key": "r1"}))
        assert again.status_code == 201 and again.json()["id"] == request["id"]
        twice = await client.post("/api/v1/compensation-requests", json=ask, headers=auth(rep))
        assert twice.status_code == 422 and twice.json()["code"] == "already_requested"
        assert twice.json()["request_id"] == request["id"]
        full = await client.post("/api/v1/compensation-requests", headers=auth(rep), json={
            "customer_id": str(few), "reason_code": "duplicate"})  # 2 leads, max_share 0.5: one request at most
        assert full.status_code == 422 and (full.json()["used"], full.json()["maximum"]) == (1, 1)
        assert full.json()["detail"] == "Gói tài khoản đã có 1/1 yêu cầu bù (tối đa 50% số lead)."

        listed = await client.get("/api/v1/compensation-requests", params={"package_id": package["id"],
                                                                            "status": "draft"}, headers=auth(manager))
        assert [r["id"] for r in listed.json()["items"]] == [request["id"]]
        assert (await client.get("/api/v1/compensation-requests", headers=auth(stranger))).json()["items"] == []
        rurl = f"/api/v1/compensation-requests/{request['id']}"
        assert (await client.get(rurl, headers=auth(stranger))).status_code == 404
        read = await client.get(rurl, headers=auth(rep))
        assert read.headers["ETag"] == '"1"' and read.json()["decision"] is None
        assert (await client.patch(rurl, json={"reason_code": "duplicate"}, headers=auth(rep))).status_code == 428
        changed = await client.patch(rurl, json={"reason_code": "duplicate"}, headers=auth(rep, **{"If-Match": '"1"'}))
        assert changed.status_code == 200 and changed.json()["reason_code"] == "duplicate"
        assert changed.headers["ETag"] == '"2"'
        assert (await client.delete(rurl, headers=auth(stranger))).status_code == 404
        assert (await client.delete(rurl, headers=auth(rep))).status_code == 204
        history = await client.get(f"{rurl}/history", headers=auth(rep))
        assert [h["action"] for h in history.json()["items"]] == ["created", "updated", "withdrawn"]
        credits = await client.get(f"{url}/credits", headers=auth(rep))
        assert credits.json() == {"items": [], "total": 0}
        leads = await client.get(f"{url}/leads", headers=auth(rep))
        assert {lead["customer_id"] for lead in leads.json()["items"]} == {str(few), str(enough)}
        counted = await client.get(url, headers=auth(rep))
        assert (counted.json()["leads"], counted.json()["requested"]) == (2, 0)


async def test_the_reasons_catalogue_in_the_callers_language_edited_by_admins(app):
    pool = app.state.pool
    rep, admin = await person(pool, TEAM, "sales"), await person(pool, ROOT, "admin")
    async with service_client(app) as client:
        vi = (await client.get("/api/v1/compensation-reasons", headers=auth(rep))).json()
        assert [r["code"] for r in vi] == ["wrong_number", "unreachable", "duplicate", "fake_information",
                                           "out_of_service_area"]
        assert vi[0]["name"] == "Sai số điện thoại" and vi[0]["counts_calls"] is True
        en = (await client.get("/api/v1/compensation-reasons", headers=auth(rep, **{"Accept-Language": "en"}))).json()
        assert en[0]["name"] == "Wrong number"
        reason = {"name_vi": "Khách đã mua ở nơi khác", "name_en": "Already bought elsewhere"}
        refused = await client.put("/api/v1/compensation-reasons/bought_elsewhere", json=reason, headers=auth(rep))
        assert refused.status_code == 403 and refused.json()["code"] == "not_admin"
        put = await client.put("/api/v1/compensation-reasons/bought_elsewhere", json=reason, headers=auth(admin))
        assert put.status_code == 200 and put.json()["active"] is True and put.json()["counts_calls"] is False
        off = await client.put("/api/v1/compensation-reasons/unreachable", json={
            "name_vi": "Không liên lạc được", "name_en": "Unreachable", "counts_calls": True, "active": False},
            headers=auth(admin))
        assert off.json()["active"] is False
        codes = [r["code"] for r in (await client.get("/api/v1/compensation-reasons", headers=auth(rep))).json()]
        assert codes[-1] == "bought_elsewhere"
        bad = await client.put("/api/v1/compensation-reasons/Bad-Code", json=reason, headers=auth(admin))
        assert bad.status_code == 422
