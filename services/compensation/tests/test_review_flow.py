"""The review with the core's own use cases (packages, leads, requests made through the eligibility
rules, customers and calls fed as events), against real PostgreSQL: submitted requests are frozen,
the quota holds while submissions and new requests race, two submissions at once make one batch,
a unit-owned package's rep sends only their own drafts, and the history of a request reads
created → submitted → decided."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from crmkit import directory
from crmkit.auth import Principal
from crmkit.domain_errors import DomainError
from crmkit.events import Envelope
from crmkit.testing import temp_pool

from crm_compensation.app import MIGRATIONS
from crm_compensation.consumers import CUSTOMER_HANDLERS, IDENTITY_HANDLERS, INTERACTION_HANDLERS
from crm_compensation.handlers import decisions, leads, packages, requests, review

ROOT, BRANCH, TEAM = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PATHS = {ROOT: f"/{ROOT}/", BRANCH: f"/{ROOT}/{BRANCH}/", TEAM: f"/{ROOT}/{BRANCH}/{TEAM}/"}
NOW = datetime.now(UTC)


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        async with p.acquire() as conn:
            for unit_id, path in PATHS.items():
                await IDENTITY_HANDLERS["unit.created"](conn, Envelope(
                    type="unit.created", source="gateway", subject=str(unit_id),
                    data={"id": str(unit_id), "path": path}))
        yield p


async def person(pool: Any, unit: uuid.UUID, *roles: str) -> Principal:
    data = {"id": str(uuid.uuid4()), "username": f"u{uuid.uuid4().hex[:6]}", "unit_id": str(unit),
            "unit_path": PATHS[unit], "roles": list(roles), "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway",
                                                                subject=data["id"], data=data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=unit, unit_path=PATHS[unit],
                     roles=frozenset(roles))


async def customers(pool: Any, owner: Principal, count: int, *, calls: int = 1) -> list[uuid.UUID]:
    """Customers owned by `owner`, each with `calls` wrong-number calls logged today."""
    ids = [uuid.uuid4() for _ in range(count)]
    async with pool.acquire() as conn:
        for customer_id in ids:
            await CUSTOMER_HANDLERS["customer.created"](conn, Envelope(
                type="customer.created", source="customers", subject=str(customer_id),
                data={"id": str(customer_id), "name": "Trần Thị Bình", "phone": f"09{uuid.uuid4().int % 10**8:08d}",
                      "owner_id": str(owner.user_id), "owner_unit_path": PATHS[TEAM], "version": 1}))
            for _ in range(calls):
                await INTERACTION_HANDLERS["call.logged"](conn, Envelope(
                    type="call.logged", source="interactions", subject=str(customer_id),
                    data={"id": str(uuid.uuid4()), "customer_id": str(customer_id), "direction": "out",
                          "outcome": "wrong_number", "duration_seconds": 5, "occurred_at": NOW.isoformat(),
                          "actor_id": None}))
    return ids


async def package_of(pool: Any, manager: Principal, customer_ids: list[uuid.UUID], *, owner: Principal | None = None,
                     max_share: str = "1") -> uuid.UUID:
    made = await packages.create(
        pool, principal=manager, name="Gói tháng 11", provider="LeadCo", owner_id=owner.user_id if owner else None,
        owner_unit_id=None if owner else TEAM, purchased_at=NOW - timedelta(days=10), reasons=["wrong_number"],
        window_days=30, max_share=Decimal(max_share), min_call_attempts=1)
    await leads.add(pool, principal=manager, package_id=made["id"], customer_ids=customer_ids,
                    delivered_at=NOW - timedelta(days=2))
    return made["id"]


async def ask(pool: Any, who: Principal, customer_id: uuid.UUID, package_id: uuid.UUID) -> dict[str, Any]:
    return await requests.create(pool, principal=who, customer_id=customer_id, package_id=package_id,
                                 reason_code="wrong_number", reason_text="Sai số")


async def send(pool: Any, who: Principal, package_id: uuid.UUID) -> dict[str, Any]:
    token = (await review.review_submission(pool, principal=who, package_id=package_id))["confirmation_token"]
    return await review.submit(pool, principal=who, package_id=package_id, confirmation_token=token)


async def refused(awaitable: Any) -> str:
    with pytest.raises(DomainError) as caught:
        await awaitable
    return caught.value.code


async def test_submitted_requests_are_frozen_and_their_history_reads_through(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    ids = await customers(pool, rep, 1)
    package_id = await package_of(pool, manager, ids, owner=rep)
    made = await ask(pool, rep, ids[0], package_id)
    await send(pool, rep, package_id)
    assert await refused(requests.update(pool, principal=rep, request_id=made["id"], expected_version=None,
                                         changes={"reason_text": "khác"})) == "request_frozen"
    assert await refused(requests.withdraw(pool, principal=rep, request_id=made["id"])) == "request_frozen"
    reviewer = await person(pool, ROOT, "reviewer")
    await decisions.decide(pool, principal=reviewer, request_id=made["id"], decision="approved", note="Đã kiểm tra")
    history = await requests.history(pool, principal=rep, request_id=made["id"])
    assert [(h["action"], h["from_status"], h["to_status"], h["actor_id"], h["note"]) for h in history] == [
        ("created", None, "draft", rep.user_id, "Sai số"), ("submitted", "draft", "submitted", rep.user_id, None),
        ("approved", "submitted", "approved", reviewer.user_id, "Đã kiểm tra")]
    seen = await requests.get(pool, principal=rep, request_id=made["id"])
    assert (seen["status"], seen["version"]) == ("approved", 3)
    assert (await packages.get(pool, principal=rep, package_id=package_id))["credit"] == 1


async def test_the_quota_holds_while_submissions_and_new_requests_race(pool):
    """max_share 0.5 of 8 leads: 4 live requests at most, whether drafts or submitted."""
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    ids = await customers(pool, rep, 8)
    package_id = await package_of(pool, manager, ids, owner=rep, max_share="0.5")
    for customer_id in ids[:3]:
        await ask(pool, rep, customer_id, package_id)
    results = await asyncio.gather(send(pool, rep, package_id),
                                   *(ask(pool, rep, customer_id, package_id) for customer_id in ids[3:]),
                                   return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException) and not isinstance(r, DomainError)]
    assert not failures, failures
    assert {r.code for r in results if isinstance(r, DomainError)} <= {"quota_exceeded", "confirmation_stale"}
    live = await pool.fetchval("SELECT count(*) FROM requests WHERE package_id = $1 AND status <> 'withdrawn'",
                               package_id)
    assert live == 4


async def test_two_submissions_at_once_make_one_batch(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    ids = await customers(pool, rep, 2)
    package_id = await package_of(pool, manager, ids, owner=rep)
    for customer_id in ids:
        await ask(pool, rep, customer_id, package_id)
    tokens = [(await review.review_submission(pool, principal=who, package_id=package_id))["confirmation_token"]
              for who in (rep, manager)]
    results = await asyncio.gather(
        review.submit(pool, principal=rep, package_id=package_id, confirmation_token=tokens[0]),
        review.submit(pool, principal=manager, package_id=package_id, confirmation_token=tokens[1]),
        return_exceptions=True)
    batches = [r for r in results if isinstance(r, dict)]
    assert len(batches) == 1 and batches[0]["requests"] == 2
    assert [r.code for r in results if isinstance(r, DomainError)] == ["confirmation_stale"]


async def test_a_rep_of_a_unit_owned_package_sends_only_their_own_drafts(pool):
    manager = await person(pool, BRANCH, "manager")
    rep, teammate = await person(pool, TEAM, "sales"), await person(pool, TEAM, "sales")
    mine, theirs = await customers(pool, rep, 1), await customers(pool, teammate, 1)
    package_id = await package_of(pool, manager, mine + theirs)
    own = await ask(pool, rep, mine[0], package_id)
    other = await ask(pool, teammate, theirs[0], package_id)
    shown = await review.review_submission(pool, principal=rep, package_id=package_id)
    assert [d["id"] for d in shown["drafts"]] == [own["id"]]
    batch = await review.submit(pool, principal=rep, package_id=package_id,
                                confirmation_token=shown["confirmation_token"])
    assert [r["id"] for r in batch["items"]] == [own["id"]]
    assert (await requests.get(pool, principal=teammate, request_id=other["id"]))["status"] == "draft"
    assert [r["id"] for r in (await review.get_batch(pool, principal=teammate, batch_id=batch["id"]))["items"]] == []
    everything = await send(pool, manager, package_id)  # the manager sends the rest
    assert [r["id"] for r in everything["items"]] == [other["id"]]
