"""Lead packages, leads and requests for compensation against real PostgreSQL (P-1 … P-3, P-6):
visibility, every refusal, drafts changed and withdrawn with their history and events, and the
invariants under concurrency (one draft per lead, the quota holds). Events are fed to the
handlers as Envelopes."""
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
from crmkit.errors import status_of_domain_error
from crmkit.events import Envelope
from crmkit.testing import temp_pool

from crm_compensation.app import MIGRATIONS
from crm_compensation.consumers import CUSTOMER_HANDLERS, IDENTITY_HANDLERS, INTERACTION_HANDLERS
from crm_compensation.handlers import leads, packages, requests

ROOT, BRANCH, OTHER_BRANCH = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ROOT_UNIT = ROOT
TEAM, OTHER_TEAM = uuid.uuid4(), uuid.uuid4()
PATHS = {ROOT: f"/{ROOT}/", BRANCH: f"/{ROOT}/{BRANCH}/", TEAM: f"/{ROOT}/{BRANCH}/{TEAM}/",
         OTHER_BRANCH: f"/{ROOT}/{OTHER_BRANCH}/", OTHER_TEAM: f"/{ROOT}/{OTHER_BRANCH}/{OTHER_TEAM}/"}
NOW = datetime.now(UTC)


async def units(pool: Any) -> None:
    """The org chart as the gateway's unit.created events give it."""
    async with pool.acquire() as conn:
        for unit_id, path in PATHS.items():
            await IDENTITY_HANDLERS["unit.created"](conn, Envelope(
                type="unit.created", source="gateway", subject=str(unit_id), data={"id": str(unit_id), "path": path}))


async def person(pool: Any, unit: uuid.UUID, *roles: str) -> Principal:
    data = {"id": str(uuid.uuid4()), "username": f"u{uuid.uuid4().hex[:6]}", "unit_id": str(unit),
            "unit_path": PATHS[unit], "roles": list(roles), "active": True}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway",
                                                                subject=data["id"], data=data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=unit,
                     unit_path=PATHS[unit], roles=frozenset(roles))


async def customer(pool: Any, owner: Principal | None, *, name: str = "Nguyễn Văn An",
                   phone: str | None = None, unit: uuid.UUID = TEAM) -> uuid.UUID:
    customer_id = uuid.uuid4()
    async with pool.acquire() as conn:
        await CUSTOMER_HANDLERS["customer.created"](conn, Envelope(
            type="customer.created", source="customers", subject=str(customer_id),
            data={"id": str(customer_id), "name": name, "phone": phone or f"09{uuid.uuid4().int % 10**8:08d}",
                  "owner_id": str(owner.user_id) if owner else None, "owner_unit_path": PATHS[unit], "version": 1}))
    return customer_id


async def call(pool: Any, customer_id: uuid.UUID, *, outcome: str = "wrong_number",
               at: datetime | None = None, call_id: uuid.UUID | None = None) -> uuid.UUID:
    """A call result sheet as interactions publishes it (`call.logged`)."""
    call_id = call_id or uuid.uuid4()
    async with pool.acquire() as conn:
        await INTERACTION_HANDLERS["call.logged"](conn, Envelope(
            type="call.logged", source="interactions", subject=str(customer_id),
            data={"id": str(call_id), "customer_id": str(customer_id), "direction": "out", "outcome": outcome,
                  "duration_seconds": 12, "occurred_at": (at or NOW).isoformat(), "actor_id": None}))
    return call_id


async def new_package(pool: Any, manager: Principal, *, owner: Principal | None = None,
                      owner_unit_id: uuid.UUID | None = None, reasons: tuple[str, ...] = ("wrong_number", "duplicate"),
                      window_days: int = 30, max_share: str = "1", min_call_attempts: int = 3,
                      provider: str = "LeadCo") -> dict[str, Any]:
    return await packages.create(
        pool, principal=manager, name="Gói tháng 11", provider=provider,
        owner_id=owner.user_id if owner else None, owner_unit_id=owner_unit_id, purchased_at=NOW - timedelta(days=10),
        reasons=list(reasons), window_days=window_days, max_share=Decimal(max_share),
        min_call_attempts=min_call_attempts)


async def deliver(pool: Any, manager: Principal, package_id: uuid.UUID, customer_ids: list[uuid.UUID],
                  delivered_at: datetime | None = None) -> dict[str, Any]:
    return await leads.add(pool, principal=manager, package_id=package_id, customer_ids=customer_ids,
                           delivered_at=delivered_at or NOW - timedelta(days=2))


async def refusal(awaitable: Any) -> tuple[int, str, dict[str, Any]]:
    """The refusal's answer: its status, code and details."""
    with pytest.raises(DomainError) as caught:
        await awaitable
    return status_of_domain_error(caught.value), caught.value.code, caught.value.details


async def published(pool: Any, type_: str) -> list[dict[str, Any]]:
    return [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)]


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        await units(p)
        yield p


class Org:
    """A branch manager over a team (two reps), a rep of another branch, a reviewer, an admin."""

    def __init__(self, manager: Principal, rep: Principal, teammate: Principal, stranger: Principal,
                 reviewer: Principal, admin: Principal) -> None:
        self.manager, self.rep, self.teammate, self.stranger = manager, rep, teammate, stranger
        self.reviewer, self.admin = reviewer, admin


@pytest.fixture
async def org(pool) -> Org:
    return Org(await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales"),
               await person(pool, TEAM, "sales"), await person(pool, OTHER_TEAM, "sales"),
               await person(pool, ROOT_UNIT, "reviewer"), await person(pool, ROOT_UNIT, "admin"))


async def ask(pool, who: Principal, customer_id: uuid.UUID, package_id: uuid.UUID | None = None,
              reason: str = "wrong_number", text: str | None = "Gọi 3 lần đều sai số") -> dict[str, Any]:
    return await requests.create(pool, principal=who, customer_id=customer_id, package_id=package_id,
                                 reason_code=reason, reason_text=text)


async def lead_with_calls(pool, org: Org, package_id: uuid.UUID, calls: int = 3, **customer_args: Any) -> uuid.UUID:
    customer_id = await customer(pool, org.rep, **customer_args)
    await deliver(pool, org.manager, package_id, [customer_id])
    for _ in range(calls):
        await call(pool, customer_id)
    return customer_id


async def visible(pool, who: Principal, package_id: uuid.UUID) -> bool:
    try:
        await packages.get(pool, principal=who, package_id=package_id)
        return True
    except DomainError:
        return False


# packages


async def test_a_package_is_seen_by_its_owner_its_unit_managers_above_admins_and_reviewers(pool, org):
    own = await new_package(pool, org.manager, owner=org.rep)
    unit = await new_package(pool, org.manager, owner_unit_id=TEAM)
    assert own["owner_unit_path"] == PATHS[TEAM] and unit["owner_unit_path"] == PATHS[TEAM]
    assert own["leads"] == own["requested"] == own["credit"] == 0 and own["policy"]["window_days"] == 30
    for who, sees_own, sees_unit in ((org.rep, True, True), (org.teammate, False, True), (org.manager, True, True),
                                     (org.stranger, False, False), (org.reviewer, True, True), (org.admin, True, True)):
        assert await visible(pool, who, own["id"]) is sees_own, who
        assert await visible(pool, who, unit["id"]) is sees_unit, who
        listed, _ = await packages.list_packages(pool, principal=who, provider=None, owner_id=None, limit=50,
                                                 cursor=None)
        assert {p["id"] for p in listed} == {p["id"] for p, seen in ((own, sees_own), (unit, sees_unit)) if seen}
    assert (await refusal(packages.get(pool, principal=org.stranger, package_id=own["id"])))[:2] == (404, "not_found")
    created = await published(pool, "lead_package.created")
    assert [c["id"] for c in created] == [str(own["id"]), str(unit["id"])]


async def test_who_creates_packages_and_for_whom(pool, org):
    assert (await refusal(new_package(pool, org.rep)))[:2] == (403, "not_package_manager")
    assert (await refusal(new_package(pool, org.reviewer)))[:2] == (403, "not_package_manager")
    assert (await refusal(new_package(pool, org.manager, owner=org.stranger)))[:2] == (422, "owner_not_allowed")
    assert (await refusal(new_package(pool, org.manager, owner_unit_id=OTHER_TEAM)))[:2] == (422, "owner_not_allowed")
    assert (await refusal(new_package(pool, org.manager, reasons=("wrong_number", "bogus"))))[:2] == (
        422, "unknown_reason")
    mine = await new_package(pool, org.manager)
    assert mine["owner_id"] == org.manager.user_id and mine["owner_unit_path"] == PATHS[BRANCH]
    theirs = await new_package(pool, org.admin, owner_unit_id=OTHER_TEAM)
    assert theirs["owner_unit_path"] == PATHS[OTHER_TEAM]


async def test_a_package_changes_with_its_version_by_who_manages_it(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep)
    changed = await packages.update(pool, principal=org.manager, package_id=package["id"], expected_version=1,
                                    changes={"name": "Gói tháng 12", "policy": {
                                        "reasons": ["duplicate"], "window_days": 14, "max_share": Decimal("0.1"),
                                        "min_call_attempts": 0}})
    assert changed["version"] == 2 and changed["name"] == "Gói tháng 12" and changed["policy"]["reasons"] == ["duplicate"]
    assert (await refusal(packages.update(pool, principal=org.manager, package_id=package["id"], expected_version=1,
                                          changes={"name": "x"})))[:2] == (412, "version_conflict")
    assert (await refusal(packages.update(pool, principal=org.rep, package_id=package["id"], expected_version=2,
                                          changes={"name": "x"})))[:2] == (403, "not_package_manager")
    assert (await refusal(packages.update(pool, principal=org.stranger, package_id=package["id"], expected_version=2,
                                          changes={"name": "x"})))[:2] == (404, "not_found")
    moved = await packages.update(pool, principal=org.manager, package_id=package["id"], expected_version=2,
                                  changes={"owner_unit_id": TEAM})
    assert moved["owner_id"] is None and moved["owner_unit_id"] == TEAM
    assert [u["version"] for u in await published(pool, "lead_package.updated")] == [2, 3]


async def test_leads_added_already_and_unknown_and_listed_with_deadline_and_request(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep)
    ours = [await customer(pool, org.rep, name=f"Khách {i}") for i in range(3)]
    theirs = await customer(pool, org.stranger, unit=OTHER_TEAM)
    delivered = NOW - timedelta(days=2)
    assert await deliver(pool, org.manager, package["id"], [*ours[:2], theirs, uuid.uuid4()], delivered) == {
        "added": 2, "already": 0, "unknown": 2}
    assert await deliver(pool, org.rep, package["id"], ours, delivered) == {"added": 1, "already": 2, "unknown": 0}
    assert (await refusal(deliver(pool, org.teammate, package["id"], ours)))[:2] == (404, "not_found")
    for _ in range(3):
        await call(pool, ours[0])
    request = await ask(pool, org.rep, ours[0], package["id"])
    page, cursor = await leads.list_leads(pool, principal=org.rep, package_id=package["id"], limit=2, cursor=None)
    rest, end = await leads.list_leads(pool, principal=org.rep, package_id=package["id"], limit=2, cursor=cursor)
    assert end is None and len(page) + len(rest) == 3
    by_id = {lead["customer_id"]: lead for lead in page + rest}
    assert by_id[ours[0]]["request"] == {"id": request["id"], "status": "draft"}
    assert by_id[ours[1]]["request"] is None and by_id[ours[1]]["full_name"] == "Khách 1"
    assert by_id[ours[1]]["deadline"] == delivered + timedelta(days=30)
    counted = await packages.get(pool, principal=org.rep, package_id=package["id"])
    assert (counted["leads"], counted["requested"], counted["approved"], counted["credit"]) == (3, 1, 0, 0)
    added = await published(pool, "lead_package.leads_added")
    assert [len(a["customer_ids"]) for a in added] == [2, 1]


async def test_a_rep_of_a_unit_owned_package_lists_only_their_own_leads(pool, org):
    """BOLA (tests/test_bola_matrix.py): the leads list gave every rep of the owning unit the names,
    phones and requests of their teammates' customers."""
    package = await new_package(pool, org.manager, owner_unit_id=TEAM)
    mine, teammates = await customer(pool, org.rep, name="Của tôi"), await customer(pool, org.teammate, name="Của bạn")
    assert (await deliver(pool, org.manager, package["id"], [mine, teammates]))["added"] == 2
    for who, expected in ((org.rep, {mine}), (org.teammate, {teammates}), (org.manager, {mine, teammates}),
                          (org.reviewer, {mine, teammates}), (org.admin, {mine, teammates})):
        page, _ = await leads.list_leads(pool, principal=who, package_id=package["id"], limit=10, cursor=None)
        assert {lead["customer_id"] for lead in page} == expected, who


# requests


async def test_a_draft_with_its_evidence_history_and_event(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep)
    customer_id = await customer(pool, org.rep, name="Trần Thị Bình", phone="0912345678")
    delivered = NOW - timedelta(days=3)
    await deliver(pool, org.manager, package["id"], [customer_id], delivered)
    await call(pool, customer_id, at=delivered - timedelta(hours=1))  # before delivery: not counted
    for outcome in ("wrong_number", "wrong_number", "no_answer"):
        await call(pool, customer_id, outcome=outcome, at=delivered + timedelta(hours=1))
    request = await ask(pool, org.rep, customer_id)  # no package named: the one holding the customer
    assert request["status"] == "draft" and request["package_id"] == package["id"] and request["version"] == 1
    evidence = request["evidence"]
    assert evidence["call_attempts"] == 3 and evidence["calls_by_outcome"] == {"wrong_number": 2, "no_answer": 1}
    assert evidence["customer"] == {"full_name": "Trần Thị Bình", "phone": "0912345678"}
    assert evidence["deadline"] == (delivered + timedelta(days=30)).isoformat().replace("+00:00", "+00:00")
    history = await requests.history(pool, principal=org.rep, request_id=request["id"])
    assert [(h["action"], h["from_status"], h["to_status"], h["actor_id"]) for h in history] == [
        ("created", None, "draft", org.rep.user_id)]
    [event] = await published(pool, "compensation.request_created")
    assert event["request_id"] == str(request["id"]) and event["owner_id"] == str(org.rep.user_id)
    assert event["status"] == "draft" and event["reason_code"] == "wrong_number"


async def test_every_refusal_names_its_rule_with_its_details(pool, org):
    package = await new_package(pool, org.manager, owner_unit_id=TEAM, max_share="0.4")
    pid = package["id"]
    first = await lead_with_calls(pool, org, pid)
    for _ in range(2):
        await lead_with_calls(pool, org, pid, calls=0)
    outsider = await customer(pool, org.rep)
    assert (await refusal(ask(pool, org.rep, outsider, pid)))[:2] == (422, "not_in_package")
    assert (await refusal(ask(pool, org.rep, outsider)))[:2] == (422, "not_in_package")
    assert (await refusal(ask(pool, org.teammate, first, pid)))[:2] == (422, "not_requester")
    assert (await refusal(ask(pool, org.teammate, first)))[:2] == (422, "not_requester")
    assert (await refusal(ask(pool, org.stranger, first, pid)))[:2] == (404, "not_found")
    status, code, details = await refusal(ask(pool, org.rep, first, pid, reason="unreachable"))
    assert (status, code, details) == (422, "reason_not_allowed", {"allowed": ["wrong_number", "duplicate"]})
    late = await customer(pool, org.rep)
    await deliver(pool, org.manager, pid, [late], NOW - timedelta(days=31))
    status, code, details = await refusal(ask(pool, org.rep, late, pid))
    assert (status, code) == (422, "outside_window") and details["deadline"].startswith(
        (NOW - timedelta(days=1)).date().isoformat())
    few = await lead_with_calls(pool, org, pid, calls=2)
    assert await refusal(ask(pool, org.rep, few, pid)) == (
        422, "not_enough_call_attempts", {"attempts": 2, "minimum": 3})
    assert (await ask(pool, org.rep, few, pid, reason="duplicate"))["status"] == "draft"  # duplicate counts no calls
    made = await ask(pool, org.rep, first, pid)
    assert await refusal(ask(pool, org.rep, first, pid)) == (
        422, "already_requested", {"request_id": str(made["id"]), "request_status": "draft"})
    await pool.execute("UPDATE requests SET status = 'approved' WHERE id = $1", made["id"])
    assert await refusal(ask(pool, org.rep, first, pid)) == (
        422, "already_compensated", {"request_id": str(made["id"])})
    # 6 leads, max_share 0.4: at most 2 requests; two are used
    assert await refusal(ask(pool, org.rep, await lead_with_calls(pool, org, pid), pid)) == (
        422, "quota_exceeded", {"used": 2, "maximum": 2, "max_share": 0.4})
    # a manager over a unit-owned package may ask, an admin too
    roomy = (await new_package(pool, org.manager, owner_unit_id=TEAM))["id"]
    assert (await ask(pool, org.manager, await lead_with_calls(pool, org, roomy), roomy))["status"] == "draft"
    assert (await ask(pool, org.admin, await lead_with_calls(pool, org, roomy), roomy))["status"] == "draft"
    # over a rep's package, a manager is not who works the lead
    reps = (await new_package(pool, org.manager, owner=org.teammate))["id"]
    assert (await refusal(ask(pool, org.manager, await lead_with_calls(pool, org, reps), reps)))[:2] == (
        422, "not_requester")


async def test_a_deleted_customer_is_not_found(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep)
    customer_id = await lead_with_calls(pool, org, package["id"])
    async with pool.acquire() as conn:
        await CUSTOMER_HANDLERS["customer.deleted"](conn, Envelope(
            type="customer.deleted", source="customers", subject=str(customer_id),
            data={"customer_id": str(customer_id)}))
    assert (await refusal(ask(pool, org.rep, customer_id, package["id"])))[:2] == (404, "not_found")


async def test_requests_are_seen_by_the_requester_and_whoever_sees_the_package_as_owner_manager_or_all(pool, org):
    package = await new_package(pool, org.manager, owner_unit_id=TEAM)
    mine = await ask(pool, org.rep, await lead_with_calls(pool, org, package["id"]), package["id"])
    teammates_customer = await customer(pool, org.teammate)
    await deliver(pool, org.manager, package["id"], [teammates_customer])
    theirs = await ask(pool, org.teammate, teammates_customer, package["id"], reason="duplicate")
    for who, expected in ((org.rep, {mine["id"]}), (org.teammate, {theirs["id"]}),
                          (org.manager, {mine["id"], theirs["id"]}), (org.reviewer, {mine["id"], theirs["id"]}),
                          (org.admin, {mine["id"], theirs["id"]}), (org.stranger, set())):
        listed, _ = await requests.list_requests(pool, principal=who, package_id=package["id"], status=None,
                                                 requester_id=None, limit=50, cursor=None)
        assert {r["id"] for r in listed} == expected, who
        for request in (mine, theirs):
            seen = request["id"] in expected
            if seen:
                assert (await requests.get(pool, principal=who, request_id=request["id"]))["id"] == request["id"]
            else:
                assert (await refusal(requests.get(pool, principal=who, request_id=request["id"])))[0] == 404
                assert (await refusal(requests.history(pool, principal=who, request_id=request["id"])))[0] == 404
    drafts, _ = await requests.list_requests(pool, principal=org.manager, package_id=None, status="draft",
                                             requester_id=org.teammate.user_id, limit=50, cursor=None)
    assert [r["id"] for r in drafts] == [theirs["id"]]
    first, cursor = await requests.list_requests(pool, principal=org.manager, package_id=package["id"], status=None,
                                                 requester_id=None, limit=1, cursor=None)
    second, end = await requests.list_requests(pool, principal=org.manager, package_id=package["id"], status=None,
                                               requester_id=None, limit=1, cursor=cursor)
    assert [first[0]["id"], second[0]["id"]] == [theirs["id"], mine["id"]] and end is None


async def test_a_draft_changes_with_its_version_eligibility_checked_again_then_freezes(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep)
    customer_id = await lead_with_calls(pool, org, package["id"])
    made = await ask(pool, org.rep, customer_id)
    rid = made["id"]
    assert (await refusal(requests.update(pool, principal=org.rep, request_id=rid, expected_version=1,
                                          changes={"reason_code": "unreachable"})))[:2] == (422, "reason_not_allowed")
    changed = await requests.update(pool, principal=org.rep, request_id=rid, expected_version=1,
                                    changes={"reason_code": "duplicate", "reason_text": "Trùng số với lead cũ"})
    assert (changed["version"], changed["reason_code"], changed["reason_text"]) == (2, "duplicate", "Trùng số với lead cũ")
    assert (await refusal(requests.update(pool, principal=org.rep, request_id=rid, expected_version=1,
                                          changes={"reason_text": "x"})))[:2] == (412, "version_conflict")
    teammate = org.teammate
    assert (await refusal(requests.update(pool, principal=teammate, request_id=rid, expected_version=2,
                                          changes={"reason_text": "x"})))[:2] == (404, "not_found")
    await pool.execute("UPDATE requests SET status = 'submitted', version = version + 1 WHERE id = $1", rid)
    assert (await refusal(requests.update(pool, principal=org.rep, request_id=rid, expected_version=3,
                                          changes={"reason_text": "x"})))[:2] == (409, "request_frozen")
    assert (await refusal(requests.withdraw(pool, principal=org.rep, request_id=rid)))[:2] == (409, "request_frozen")
    history = await requests.history(pool, principal=org.manager, request_id=rid)
    assert [h["action"] for h in history] == ["created", "updated"]
    [updated] = await published(pool, "compensation.request_updated")
    assert updated["version"] == 2 and updated["reason_code"] == "duplicate"


async def test_a_withdrawn_draft_frees_its_lead_and_the_quota(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep, max_share="0.5")
    customer_id = await lead_with_calls(pool, org, package["id"])
    await lead_with_calls(pool, org, package["id"])
    made = await ask(pool, org.rep, customer_id)
    assert (await refusal(requests.withdraw(pool, principal=org.teammate, request_id=made["id"])))[0] == 404
    await requests.withdraw(pool, principal=org.rep, request_id=made["id"])
    again = await ask(pool, org.rep, customer_id)
    assert again["id"] != made["id"]
    withdrawn = await requests.get(pool, principal=org.rep, request_id=made["id"])
    assert withdrawn["status"] == "withdrawn" and withdrawn["version"] == 2
    history = await requests.history(pool, principal=org.rep, request_id=made["id"])
    assert [(h["action"], h["to_status"]) for h in history] == [("created", "draft"), ("withdrawn", "withdrawn")]
    [event] = await published(pool, "compensation.request_withdrawn")
    assert event["request_id"] == str(made["id"]) and event["status"] == "withdrawn"


# invariants under concurrency


async def test_ten_concurrent_requests_for_one_customer_yield_one_draft(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep)
    customer_id = await lead_with_calls(pool, org, package["id"])
    results = await asyncio.gather(*(ask(pool, org.rep, customer_id, package["id"]) for _ in range(10)),
                                   return_exceptions=True)
    made = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(made) == 1 and len(refused) == 9, [r for r in results if not isinstance(r, dict)]
    assert {r.code for r in refused} == {"already_requested"}
    assert {r.details["request_id"] for r in refused} == {str(made[0]["id"])}
    assert await pool.fetchval("SELECT count(*) FROM requests WHERE customer_id = $1", customer_id) == 1


async def test_concurrent_requests_past_the_quota_the_quota_holds(pool, org):
    package = await new_package(pool, org.manager, owner=org.rep, max_share="0.3", min_call_attempts=0)
    customer_ids = [await customer(pool, org.rep) for _ in range(10)]
    await deliver(pool, org.manager, package["id"], customer_ids)
    results = await asyncio.gather(*(ask(pool, org.rep, c, package["id"]) for c in customer_ids),
                                   return_exceptions=True)
    made = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(made) == 3 and len(refused) == 7 and {r.code for r in refused} == {"quota_exceeded"}
    assert await pool.fetchval("SELECT count(*) FROM requests WHERE package_id = $1", package["id"]) == 3
