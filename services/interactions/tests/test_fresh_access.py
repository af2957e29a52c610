"""Read your own writes (handlers/fresh_access.py) against real PostgreSQL, with a fake customers
service (httpx's MockTransport answering `POST /internal/v1/customers/snapshots`): a customer the
read model does not know yet is asked of it, on the caller's behalf, kept as its event will be,
and decided again by this service's rules; a customer it does not show stays a 404, and an
unreachable customers service is a 503, never a 404 for a customer that may exist. Through the
gateway against the real customers service: tests/test_read_your_writes.py."""
from __future__ import annotations

import dataclasses
import json
import uuid

import httpx
import pytest
from interactions_support import code_of, principal

from crmkit.customers_client import CustomersClient

from crm_interactions.handlers import calls, fresh_access
from crm_interactions.store import access as access_store

TEAM = "/root/branch/team/"


def caller(path: str = TEAM):
    return dataclasses.replace(principal(path), bearer="token-of-the-caller")


@pytest.fixture
def customers_service():
    """What the fake customers service shows (customer id → snapshot) and the tokens it was asked with."""
    shown: dict[str, dict] = {}
    asked_with: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/internal/v1/customers/snapshots"
        asked_with.append(request.headers["authorization"])
        ids = json.loads(request.content)["ids"]
        return httpx.Response(200, json={"customers": [shown[i] for i in ids if i in shown]})

    client = CustomersClient("http://customers", timeout_seconds=2, transport=httpx.MockTransport(answer))
    fresh_access.use(client)
    yield shown, asked_with
    fresh_access.use(None)


def snapshot(customer_id: uuid.UUID, owner_id: uuid.UUID, *, version: int = 1) -> dict:
    return {"id": str(customer_id), "owner_id": str(owner_id), "owner_unit_id": None, "owner_unit_path": TEAM,
            "holder_id": None, "viewer_ids": [], "province_code": None, "version": version}


async def log(pool, who, customer_id):
    return await calls.log_call(pool, principal=who, customer_id=customer_id, direction="out", outcome="reached",
                                duration_seconds=30)


async def test_a_customer_not_yet_known_is_asked_of_the_customers_service(pool, customers_service):
    shown, asked_with = customers_service
    rep, customer_id = caller(), uuid.uuid4()
    shown[str(customer_id)] = snapshot(customer_id, rep.user_id, version=3)
    _, created = await log(pool, rep, customer_id)
    assert created and asked_with == ["Bearer token-of-the-caller"]
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT owner_id, owner_unit_path, version, deleted FROM customer_access"
                                  " WHERE customer_id = $1", customer_id)
        assert dict(row) == {"owner_id": rep.user_id, "owner_unit_path": TEAM, "version": 3, "deleted": False}
        # the customer.created event (version 1) arriving now changes nothing
        await access_store.upsert_access(conn, customer_id=customer_id, owner_id=None, owner_unit_path="/x/",
                                         holder_id=None, viewer_ids=[], version=1)
        assert await conn.fetchval("SELECT owner_id FROM customer_access WHERE customer_id = $1",
                                   customer_id) == rep.user_id
    await log(pool, rep, customer_id)
    assert len(asked_with) == 1, "known now: not asked again"


async def test_what_the_customers_service_does_not_show_stays_not_found(pool, customers_service):
    shown, asked_with = customers_service
    rep, outsider, customer_id = caller(), caller("/root/other/"), uuid.uuid4()
    assert await code_of(log(pool, rep, customer_id)) == (404, "not_found")
    shown[str(customer_id)] = snapshot(customer_id, rep.user_id)  # shown to someone, judged here by our rules
    assert await code_of(log(pool, outsider, customer_id)) == (404, "not_found")
    assert len(asked_with) == 2


async def test_an_unreachable_customers_service_is_a_503(pool):
    fresh_access.use(CustomersClient("http://127.0.0.1:9", timeout_seconds=1))
    try:
        assert await code_of(log(pool, caller(), uuid.uuid4())) == (503, "customers_unavailable")
        assert await code_of(log(pool, principal(TEAM), uuid.uuid4())) == (404, "not_found"), "no token: not asked"
    finally:
        fresh_access.use(None)
