"""Distribution, offers, recall and the one-open-assignment rule against real PostgreSQL
(A-1 … A-5, A-7), with the events the customers service applies."""
from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from crmkit import directory
from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, DomainError, Invalid
from crmkit.errors import status_of_domain_error
from crmkit.events import Envelope
from crmkit.keys import new_pair
from crmkit.testing import (
    idempotent_routes_on_the_plain_pool,
    running_service,
    service_client,
    sign_test_token,
    temp_database,
)
from crmkit.unit_of_work import UnitOfWork

from crm_assignment.app import MIGRATIONS, create_app
from crm_assignment.consumers import CUSTOMER_HANDLERS, IDENTITY_HANDLERS
from crm_assignment.handlers import assignments, jobs, roster
from crm_assignment.settings import AssignmentSettings

BRANCH, TEAM, OTHER = "/r/b1/", "/r/b1/t1/", "/r/b2/"


async def person(pool, path: str, *roles: str, active: bool = True, username: str | None = None) -> Principal:
    data = {"id": str(uuid.uuid4()), "username": username or f"u{uuid.uuid4().hex[:6]}", "full_name": "Người dùng",
            "unit_id": str(uuid.uuid4()), "unit_path": path, "roles": list(roles), "active": active}
    async with pool.acquire() as conn:
        await directory.HANDLERS["user.created"](conn, Envelope(type="user.created", source="gateway", subject=data["id"],
                                                     data=data))
    return Principal(user_id=uuid.UUID(data["id"]), username=data["username"], unit_id=uuid.UUID(data["unit_id"]),
                     unit_path=path, roles=frozenset(roles))


async def customers(pool, owner: Principal | None, count: int, path: str = TEAM) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    async with pool.acquire() as conn:
        for i in ids:
            await CUSTOMER_HANDLERS["customer.created"](conn, Envelope(
                type="customer.created", source="customers", subject=str(i),
                data={"id": str(i), "owner_id": str(owner.user_id) if owner else None, "owner_unit_path": path,
                      "holder_id": None, "version": 1}))
    return sorted(ids)


async def code_of(awaitable) -> tuple[int, str]:
    """The refusal's answer: the status its kind maps to, and its code."""
    with pytest.raises(DomainError) as caught:
        await awaitable
    return status_of_domain_error(caught.value), caught.value.code


async def published(pool, type_: str) -> list[dict]:
    return [r["payload"]["data"] for r in await pool.fetch(
        "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", type_)]


NEW_JOB = {"content": "Gọi tư vấn gói vay", "type_": "telesales", "target": None}


async def new_job(pool, principal: Principal) -> dict:
    async with UnitOfWork(pool, source=jobs.SOURCE) as uow:
        return await jobs.create(uow, principal, **NEW_JOB)


async def test_direct_distribution_by_quantities_and_the_events(pool):
    manager = await person(pool, BRANCH, "manager")
    rep1, rep2 = await person(pool, TEAM, "sales"), await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 5)
    made = await assignments.distribute(pool, principal=manager, customer_ids=ids, text="Gọi trong tuần",
                                        new_job=NEW_JOB, quantities=[(rep1.user_id, 2), (rep2.user_id, 3)],
                                        direct=True)
    assert [(a["assignee_id"], a["customer_count"], a["status"]) for a in made["assignments"]] == [
        (rep1.user_id, 2, "accepted"), (rep2.user_id, 3, "accepted")]
    direct = await published(pool, "assignment.direct")
    assert [(e["assignee_id"], e["customer_ids"], e["assignee_unit_path"]) for e in direct] == [
        (str(rep1.user_id), [str(i) for i in ids[:2]], TEAM), (str(rep2.user_id), [str(i) for i in ids[2:]], TEAM)]
    assert direct[0]["assigned_by"] == str(manager.user_id) and direct[0]["last"] is True
    assert len(await published(pool, "job.created")) == 1
    # quantities that do not add up, reps who are not active sales, customers outside the reach
    assert await code_of(assignments.distribute(
        pool, principal=manager, customer_ids=await customers(pool, manager, 2), text="x",
        job_id=made["job"]["id"], quantities=[(rep1.user_id, 1)])) == (422, "quantities_mismatch")
    gone = await person(pool, TEAM, "sales", active=False)
    assert await code_of(assignments.distribute(
        pool, principal=manager, customer_ids=await customers(pool, manager, 1), text="x",
        job_id=made["job"]["id"], assignees=[gone.user_id])) == (422, "validation_error")
    elsewhere = await customers(pool, None, 1, path=OTHER)
    assert await code_of(assignments.distribute(
        pool, principal=manager, customer_ids=elsewhere, text="x", job_id=made["job"]["id"],
        assignees=[rep1.user_id])) == (422, "validation_error")
    assert await code_of(assignments.distribute(
        pool, principal=rep1, customer_ids=elsewhere, text="x", new_job=NEW_JOB,
        assignees=[rep1.user_id])) == (403, "not_a_distributor")
    # the roster counts their open leads
    counts = {r["user_id"]: r["open_leads"] for r in await roster.list_roster(pool, principal=manager)}
    assert (counts[rep1.user_id], counts[rep2.user_id]) == (2, 3)


async def test_a_customer_is_in_one_open_assignment_at_a_time(pool):
    manager = await person(pool, BRANCH, "manager")
    rep1, rep2 = await person(pool, TEAM, "sales"), await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 3)
    job = await new_job(pool, manager)

    async def give(rep):
        return await assignments.distribute(pool, principal=manager, customer_ids=ids, text="x", job_id=job["id"],
                                            assignees=[rep.user_id], direct=True)

    results = await asyncio.gather(give(rep1), give(rep2), return_exceptions=True)
    winners = [r for r in results if isinstance(r, dict)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and [e.code for e in losers] == ["customers_already_assigned"]
    assert losers[0].details == {"customer_ids": [str(i) for i in ids], "count": 3}  # which ones (sorted)
    assert len(await published(pool, "assignment.direct")) == 1
    # after a recall of one of them, it can be given to someone else
    winner = winners[0]["assignments"][0]
    recalled = await assignments.recall(pool, principal=manager, assignment_id=winner["id"], customer_ids=[ids[0]])
    assert recalled["recalled"] == [ids[0]] and recalled["skipped"] == []
    again = await assignments.distribute(pool, principal=manager, customer_ids=[ids[0]], text="x", job_id=job["id"],
                                         assignees=[rep2.user_id], direct=True)
    assert again["assignments"][0]["customer_count"] == 1
    [event] = await published(pool, "assignment.recalled")
    assert event["customer_ids"] == [str(ids[0])] and event["previous_owner_ids"] == {str(ids[0]): str(manager.user_id)}
    assert event["previous_owner_units"] == {str(ids[0]): {"unit_id": None, "unit_path": TEAM}}


async def test_offers_are_accepted_declined_or_expire(pool):
    manager = await person(pool, BRANCH, "manager")
    rep1, rep2 = await person(pool, TEAM, "sales"), await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 4)
    made = await assignments.distribute(pool, principal=manager, customer_ids=ids, text="Nhận giúp", new_job=NEW_JOB,
                                        strategy="round_robin", assignees=[rep1.user_id, rep2.user_id])
    first, second = made["assignments"]
    assert (first["status"], first["customer_count"], second["customer_count"]) == ("offered", 2, 2)
    assert [e["assignee_id"] for e in await published(pool, "assignment.offered")] == [str(rep1.user_id),
                                                                                      str(rep2.user_id)]
    assert await code_of(assignments.accept(pool, principal=rep2, assignment_id=first["id"])) == (404, "not_found")
    # who sees an offer without being its assignee is refused, not told it does not exist
    assert await code_of(assignments.accept(pool, principal=manager, assignment_id=first["id"])) == (
        403, "not_assignee")
    assert await code_of(assignments.decline(pool, principal=manager, assignment_id=first["id"])) == (
        403, "not_assignee")
    accepted = await assignments.accept(pool, principal=rep1, assignment_id=first["id"])
    assert accepted["status"] == "accepted"
    assert await code_of(assignments.decline(pool, principal=rep1, assignment_id=first["id"])) == (
        409, "assignment_not_offered")
    with pytest.raises(Conflict) as not_offered:
        await assignments.accept(pool, principal=rep1, assignment_id=first["id"])
    assert not_offered.value.details == {"assignment_status": "accepted"}
    declined = await assignments.decline(pool, principal=rep2, assignment_id=second["id"],
                                         reason="  Đang nghỉ phép đến thứ Hai  ")
    assert (declined["status"], declined["open_count"]) == ("declined", 0)
    assert declined["decline_reason"] == "Đang nghỉ phép đến thứ Hai"
    [event] = await published(pool, "assignment.declined")
    assert event["assigned_by"] == str(manager.user_id) and len(event["customer_ids"]) == 2
    assert event["reason"] == "Đang nghỉ phép đến thứ Hai"
    # round-robin continues with the rep after the last one dealt (rep2 got the last customer)
    more = await customers(pool, manager, 1)
    nxt = await assignments.distribute(pool, principal=manager, customer_ids=more, text="x",
                                       job_id=made["job"]["id"], assignees=[rep1.user_id, rep2.user_id],
                                       accept_within=timedelta(hours=1))
    assert nxt["assignments"][0]["assignee_id"] == rep1.user_id
    # an offer past its deadline expires and its customers return
    await pool.execute("UPDATE assignments SET expires_at = now() - interval '1 minute' WHERE id = $1",
                       nxt["assignments"][0]["id"])
    assert await assignments.expire_due(pool) == 1
    assert await assignments.expire_due(pool) == 0
    assert [e["customer_ids"] for e in await published(pool, "assignment.expired")] == [[str(more[0])]]
    assert (await published(pool, "assignment.expired"))[0].get("reason") is None  # an expiry has no reason
    assert await pool.fetchval("SELECT payload->>'actor' FROM outbox WHERE event_type = 'assignment.expired'") == "system"
    mine, _ = await assignments.list_assignments(pool, principal=rep1, scope="mine")
    assert {a["status"] for a in mine} == {"accepted", "expired"}
    outsider = await person(pool, OTHER, "manager")
    assert await code_of(assignments.get(pool, principal=outsider, assignment_id=first["id"])) == (404, "not_found")
    detail = await assignments.get(pool, principal=manager, assignment_id=first["id"])
    assert {c["state"] for c in detail["customers"]} == {"open"}


async def test_large_distributions_publish_chunks(pool, monkeypatch):
    from crm_assignment import events
    monkeypatch.setattr(events, "CHUNK", 2)
    manager = await person(pool, BRANCH, "manager")
    rep = await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 5)
    await assignments.distribute(pool, principal=manager, customer_ids=ids, text="x", new_job=NEW_JOB,
                                 assignees=[rep.user_id], direct=True)
    chunks = await published(pool, "assignment.direct")
    assert [(e["chunk"], e["last"], e["count"]) for e in chunks] == [(1, False, 2), (2, False, 2), (3, True, 1)]


def test_full_chunks_fit_one_kafka_record():
    import orjson

    from crmkit.events import build
    from crmkit.outbox import MAX_EVENT_BYTES

    from crm_assignment import events

    path = "/" + "".join(f"{uuid.uuid4()}/" for _ in range(4))
    common = {"assignment_id": uuid.uuid4(), "job_id": uuid.uuid4(), "assignee_id": uuid.uuid4(),
              "assigned_by": uuid.uuid4()}
    ids = [uuid.uuid4() for _ in range(events.RECALL_CHUNK)]
    recalled = events.AssignmentRecalled(
        **common, customer_ids=ids, count=len(ids), previous_owner_ids={str(i): uuid.uuid4() for i in ids},
        previous_owner_units={str(i): {"unit_id": uuid.uuid4(), "unit_path": path} for i in ids})
    ids = [uuid.uuid4() for _ in range(events.CHUNK)]
    direct = events.AssignmentDirect(**common, customer_ids=ids, count=len(ids), assignee_unit_path=path)
    for model in (recalled, direct):
        _, envelope = build(model, source="assignment", subject=uuid.uuid4())
        assert len(orjson.dumps(envelope.model_dump(mode="json"))) < MAX_EVENT_BYTES


async def test_assign_and_recall_in_one_operation(pool, monkeypatch):
    manager = await person(pool, BRANCH, "manager")
    rep1, rep2 = await person(pool, TEAM, "sales"), await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 3)
    first = await assignments.distribute(pool, principal=manager, customer_ids=ids[:2], text="x", new_job=NEW_JOB,
                                         assignees=[rep1.user_id], direct=True)
    moved = await assignments.distribute(pool, principal=manager, customer_ids=ids, text="Chuyển cho rep2",
                                         job_id=first["job"]["id"], assignees=[rep2.user_id], direct=True,
                                         recall_first=True)
    assert moved["assignments"][0]["customer_count"] == 3
    [recalled] = await published(pool, "assignment.recalled")
    assert (recalled["assignment_id"], sorted(recalled["customer_ids"])) == (
        str(first["assignments"][0]["id"]), sorted(str(i) for i in ids[:2]))
    old = await assignments.get(pool, principal=manager, assignment_id=first["assignments"][0]["id"])
    assert {c["state"] for c in old["customers"]} == {"recalled"}
    # without recall_first the same move is refused, naming the customers (the first 20 and their count)
    with pytest.raises(Conflict) as refused:
        await assignments.distribute(pool, principal=manager, customer_ids=[*await customers(pool, manager, 1), *ids],
                                     text="x", job_id=first["job"]["id"], assignees=[rep1.user_id], direct=True)
    assert refused.value.code == "customers_already_assigned"
    assert refused.value.details == {"customer_ids": [str(i) for i in ids], "count": 3}
    monkeypatch.setattr(assignments, "LISTED_CUSTOMERS", 2)
    with pytest.raises(Conflict) as capped:
        await assignments.distribute(pool, principal=manager, customer_ids=ids, text="x", job_id=first["job"]["id"],
                                     assignees=[rep1.user_id], direct=True)
    assert capped.value.details == {"customer_ids": [str(i) for i in ids[:2]], "count": 3}


async def test_jobs_and_assignments_out_of_sight_are_not_found(pool):
    """Invisible = 404: a rep (who never distributes) and a manager of another branch asking for a
    job or a recall by id learn nothing of it; the assignee sees theirs but may not recall it."""
    manager = await person(pool, BRANCH, "manager")
    rep, stranger = await person(pool, TEAM, "sales"), await person(pool, OTHER, "sales")
    elsewhere = await person(pool, OTHER, "manager")
    made = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, 1),
                                        text="x", new_job=NEW_JOB, assignees=[rep.user_id], direct=True)
    job_id, assignment_id = made["job"]["id"], made["assignments"][0]["id"]
    for caller in (rep, stranger, elsewhere):
        assert await code_of(jobs.get(pool, caller, job_id)) == (404, "not_found")
        assert await code_of(jobs.get(pool, caller, uuid.uuid4())) == (404, "not_found")
    for caller in (stranger, elsewhere):
        assert await code_of(assignments.recall(pool, principal=caller, assignment_id=assignment_id,
                                                customer_ids=None)) == (404, "not_found")
    assert await code_of(assignments.recall(pool, principal=stranger, assignment_id=uuid.uuid4(),
                                            customer_ids=None)) == (404, "not_found")
    assert await code_of(assignments.recall(pool, principal=rep, assignment_id=assignment_id,
                                            customer_ids=None)) == (403, "not_a_distributor")
    assert (await jobs.get(pool, manager, job_id))["id"] == job_id


async def test_alternative_fields_are_named_when_not_exactly_one_is_given(pool):
    manager = await person(pool, BRANCH, "manager")
    rep = await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 1)

    async def fields_of(**kwargs) -> dict[str, str]:
        with pytest.raises(Invalid) as caught:
            await assignments.distribute(pool, principal=manager, customer_ids=ids, text="x", **kwargs)
        assert caught.value.code == "validation_error"
        return {e.field: e.code for e in caught.value.errors}

    assert await fields_of(assignees=[rep.user_id]) == {"job_id": "exactly_one_of", "job": "exactly_one_of"}
    job = await new_job(pool, manager)
    assert await fields_of(job_id=job["id"], new_job=NEW_JOB, assignees=[rep.user_id]) == {
        "job_id": "exactly_one_of", "job": "exactly_one_of"}
    assert await fields_of(job_id=job["id"]) == {"quantities": "exactly_one_of", "assignees": "exactly_one_of"}
    assert await fields_of(job_id=job["id"], quantities=[(rep.user_id, 1)], strategy="weighted") == {
        "strategy": "strategy_with_quantities"}


def test_a_declined_event_without_a_reason_is_still_valid():
    """`reason` is optional: events published before it existed (and consumers that ignore it) still work."""
    from crm_assignment import events

    common = {"assignment_id": uuid.uuid4(), "job_id": uuid.uuid4(), "assignee_id": uuid.uuid4(),
              "assigned_by": uuid.uuid4(), "customer_ids": [], "count": 0}
    assert events.AssignmentDeclined(**common).reason is None
    assert events.AssignmentDeclined.__event_version__ == 1


PRIVATE, PUBLIC = new_pair()


@pytest.fixture
async def app():
    async with temp_database(MIGRATIONS) as dsn:
        settings = AssignmentSettings(database_url=dsn, run_mode="api")
        async with running_service(create_app, settings, public_key=PUBLIC) as app:
            yield app


def headers(principal: Principal, correlation_id: str) -> dict:
    token = sign_test_token(PRIVATE, user_id=principal.user_id, roles=tuple(principal.roles),
                            unit_id=principal.unit_id, unit_path=principal.unit_path)
    return {"Authorization": f"Bearer {token}", "X-Correlation-ID": correlation_id}


async def test_a_requests_correlation_id_and_caller_reach_what_it_publishes(app):
    pool = app.state.pool
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 2)
    async with service_client(app) as client:
        job = await client.post("/api/v1/jobs", json={"content": "Gọi lại", "type": "telesales"},
                                headers=headers(manager, "corr-job"))
        assert job.status_code == 201, job.text
        made = await client.post("/api/v1/assignments", json={
            "customer_ids": [str(i) for i in ids], "text": "x", "job_id": job.json()["id"],
            "assignees": [str(rep.user_id)]}, headers={**headers(manager, "corr-give"), "Idempotency-Key": "k1"})
        assert made.status_code == 201, made.text
        offer = made.json()["assignments"][0]["id"]
        accepted = await client.post(f"/api/v1/assignments/{offer}/accept", headers=headers(rep, "corr-take"))
        assert accepted.status_code == 200, accepted.text
    rows = await pool.fetch("SELECT event_type, payload FROM outbox ORDER BY id")
    assert [(r["event_type"], r["payload"]["source"], r["payload"]["actor"], r["payload"]["correlation_id"],
             r["payload"]["causation_id"]) for r in rows] == [
        ("job.created", "assignment", str(manager.user_id), "corr-job", None),
        ("assignment.offered", "assignment", str(manager.user_id), "corr-give", None),
        ("assignment.accepted", "assignment", str(rep.user_id), "corr-take", None)]


async def test_no_idempotent_route_also_takes_the_plain_pool(app):
    """The key, the effect and the answer commit together only on `once.pool` (crmkit.idempotency)."""
    assert idempotent_routes_on_the_plain_pool(app) == []


async def test_an_offer_may_be_accepted_within_minutes(app):
    """A-4: `accept_within_minutes` (at least 5) beside the hours; not both."""
    pool = app.state.pool
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    ids = await customers(pool, manager, 1)
    body = {"customer_ids": [str(ids[0])], "text": "Gọi ngay", "job": {"content": "Lead nóng", "type": "telesales"},
            "assignees": [str(rep.user_id)]}
    async with service_client(app) as client:
        for extra, field in (({"accept_within_minutes": 4}, "accept_within_minutes"),
                             ({"accept_within_minutes": 10, "accept_within_hours": 2}, None)):
            refused = await client.post("/api/v1/assignments", json={**body, **extra}, headers=headers(manager, "c"))
            assert refused.status_code == 422, refused.text
            if field:
                assert field in {e["field"].split(".")[-1] for e in refused.json()["errors"]}
        made = await client.post("/api/v1/assignments", json={**body, "accept_within_minutes": 10},
                                 headers=headers(manager, "c"))
        assert made.status_code == 201, made.text
    offer = made.json()["assignments"][0]
    row = await pool.fetchrow("SELECT created_at, expires_at FROM assignments WHERE id = $1", uuid.UUID(offer["id"]))
    assert timedelta(minutes=9) < row["expires_at"] - row["created_at"] <= timedelta(minutes=10, seconds=5)


async def test_a_deactivated_reps_open_offers_return_to_the_pool(pool):
    """Their offers expire at once with the reason `assignee_deactivated` (customers go back); what
    they accepted stays theirs; a redelivered event changes nothing."""
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    job = await new_job(pool, manager)
    offered = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, 2),
                                           text="x", job_id=job["id"], assignees=[rep.user_id])
    kept = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, 1),
                                        text="x", job_id=job["id"], assignees=[rep.user_id], direct=True)
    deactivated = Envelope(type="user.deactivated", source="gateway", subject=str(rep.user_id),
                           data={"id": str(rep.user_id), "username": rep.username, "active": False})
    for _ in range(2):  # the second: a redelivery
        async with pool.acquire() as conn, conn.transaction():
            await IDENTITY_HANDLERS["user.deactivated"](conn, deactivated)
    statuses = dict(await pool.fetch("SELECT id, status FROM assignments WHERE assignee_id = $1", rep.user_id))
    assert statuses == {offered["assignments"][0]["id"]: "expired", kept["assignments"][0]["id"]: "accepted"}
    [event] = await published(pool, "assignment.expired")
    assert event["reason"] == "assignee_deactivated" and len(event["customer_ids"]) == 2


async def test_a_manager_recalls_every_open_lead_of_a_rep_in_one_call(pool):
    """Issue 13: a rep who leaves or moves: everything they still hold through open assignments goes
    back to its previous owners; out of the caller's reach, not found; the target named once."""
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    outsider = await person(pool, OTHER, "manager")
    job = await new_job(pool, manager)
    direct = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, 2),
                                          text="x", job_id=job["id"], assignees=[rep.user_id], direct=True)
    offered = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, 1),
                                           text="x", job_id=job["id"], assignees=[rep.user_id])
    assert await code_of(assignments.recall(pool, principal=outsider, assignee_id=rep.user_id)) == (404, "not_found")
    for rep_itself in (rep.user_id, uuid.uuid4()):  # a rep does not recall, even where nothing is held
        assert await code_of(assignments.recall(pool, principal=rep, assignee_id=rep_itself)) == (
            403, "not_a_distributor")
    for wrong in ({}, {"assignment_id": direct["assignments"][0]["id"], "assignee_id": rep.user_id},
                  {"assignee_id": rep.user_id, "customer_ids": [uuid.uuid4()]}):
        assert (await code_of(assignments.recall(pool, principal=manager, **wrong)))[0] == 422
    done = await assignments.recall(pool, principal=manager, assignee_id=rep.user_id)
    assert set(done["assignments"]) == {direct["assignments"][0]["id"], offered["assignments"][0]["id"]}
    assert len(done["recalled"]) == 3
    assert await pool.fetchval("SELECT count(*) FROM assignment_customers WHERE state = 'open'") == 0
    again = await assignments.recall(pool, principal=manager, assignee_id=rep.user_id)
    assert again["recalled"] == [] and again["assignments"] == []


async def test_a_manager_recalls_the_selected_customers_from_a_job(pool):
    """Seed 004, 6.2.2: the job chosen, the customers selected in the list taken back from whichever
    of its open assignments holds them; the rest of the job stays; then all of it in one call."""
    manager, first, second = (await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales"),
                              await person(pool, TEAM, "sales"))
    outsider = await person(pool, OTHER, "manager")
    job, other_job = await new_job(pool, manager), await new_job(pool, manager)
    ids = await customers(pool, manager, 4)
    made = await assignments.distribute(pool, principal=manager, customer_ids=ids, text="x", job_id=job["id"],
                                        assignees=[first.user_id, second.user_id], direct=True)
    elsewhere = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, 1),
                                             text="x", job_id=other_job["id"], assignees=[first.user_id], direct=True)
    by_rep = {a["assignee_id"]: a["id"] for a in made["assignments"]}
    held = dict(await pool.fetch("SELECT customer_id, assignment_id FROM assignment_customers WHERE state = 'open'"))
    one_each = [next(c for c in ids if held[c] == by_rep[rep.user_id]) for rep in (first, second)]
    stranger = uuid.uuid4()

    assert await code_of(assignments.recall(pool, principal=outsider, job_id=job["id"])) == (404, "not_found")
    assert await code_of(assignments.recall(pool, principal=first, job_id=job["id"])) == (403, "not_a_distributor")
    assert (await code_of(assignments.recall(pool, principal=manager, job_id=job["id"],
                                             assignment_id=by_rep[first.user_id])))[0] == 422
    done = await assignments.recall(pool, principal=manager, job_id=job["id"], customer_ids=[*one_each, stranger])
    assert sorted(done["recalled"]) == sorted(one_each) and done["skipped"] == [stranger]
    assert set(done["assignments"]) == set(by_rep.values()) and done["job_id"] == job["id"]
    still = {r["customer_id"] for r in await pool.fetch("SELECT customer_id FROM assignment_customers"
                                                        " WHERE state = 'open'")}
    assert still == (set(ids) - set(one_each)) | set(held) - set(ids)
    recalled = [e for e in await published(pool, "assignment.recalled")]
    assert sorted(c for e in recalled for c in e["customer_ids"]) == sorted(str(c) for c in one_each)

    rest = await assignments.recall(pool, principal=manager, job_id=job["id"])
    assert sorted(rest["recalled"]) == sorted(set(ids) - set(one_each))
    assert await pool.fetchval("SELECT count(*) FROM assignment_customers WHERE state = 'open'") == 1  # other job
    assert (await assignments.recall(pool, principal=manager, job_id=job["id"]))["recalled"] == []
    assert elsewhere["assignments"][0]["status"] == "accepted"
