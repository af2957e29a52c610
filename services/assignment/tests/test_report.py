"""A job's report against real PostgreSQL (issue 13): two reps, direct and offered leads, an
acceptance, a decline, an expiry, a recall (one for a missed SLA), contacts in time, late and
without a deadline; the numbers per rep and in total, and who may read it (404 otherwise)."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound
from crmkit.keys import new_pair
from crmkit.testing import running_service, service_client, sign_test_token, temp_database
from crmkit.unit_of_work import UnitOfWork

from crm_assignment.app import MIGRATIONS, create_app
from crm_assignment.handlers import assignments, jobs, reports
from crm_assignment.settings import AssignmentSettings

from .test_assignments import BRANCH, OTHER, TEAM, customers, person

NEW_JOB = {"content": "Chiến dịch tháng 12", "type_": "telesales", "target": None}
PRIVATE, PUBLIC = new_pair()


async def contact(pool, customer_id: uuid.UUID, *, after_minutes: int, sla_minutes: int | None = 30) -> None:
    """What the SLA consumer records: the clock (when there is one) and the first contact, `after_minutes`
    after the rep owned the lead (the assignment's decision)."""
    await pool.execute(
        "UPDATE assignment_customers c SET"
        " sla_started_at = CASE WHEN $3::int IS NULL THEN NULL ELSE a.decided_at END,"
        " contact_due_at = a.decided_at + make_interval(mins => $3::int),"
        " contacted_at = a.decided_at + make_interval(mins => $2)"
        " FROM assignments a WHERE a.id = c.assignment_id AND c.customer_id = $1 AND c.state = 'open'",
        customer_id, after_minutes, sla_minutes)


async def a_job_with_two_reps(pool):
    """rep a: 3 direct (one contacted in 5 min, one late at 40, one recalled for a missed SLA) and
    an offer of 1 that expired; rep b: an offer of 2 accepted (one contacted after 10 min, no SLA)
    and an offer of 1 declined."""
    manager = await person(pool, BRANCH, "manager")
    rep_a, rep_b = await person(pool, TEAM, "sales", username="an"), await person(pool, TEAM, "sales", username="Bao")
    ids = await customers(pool, manager, 7)
    made = await assignments.distribute(pool, principal=manager, customer_ids=ids[:3], text="Gọi ngay",
                                        new_job=NEW_JOB, quantities=[(rep_a.user_id, 3)], direct=True)
    job_id = made["job"]["id"]

    async def offer(rep: Principal, share: list[uuid.UUID]) -> uuid.UUID:
        given = await assignments.distribute(pool, principal=manager, customer_ids=share, text="Nhận giúp",
                                             job_id=job_id, assignees=[rep.user_id])
        return given["assignments"][0]["id"]

    await assignments.accept(pool, principal=rep_b, assignment_id=await offer(rep_b, ids[3:5]))
    await assignments.decline(pool, principal=rep_b, assignment_id=await offer(rep_b, ids[5:6]), reason="Bận")
    expiring = await offer(rep_a, ids[6:7])
    await pool.execute("UPDATE assignments SET expires_at = now() - interval '1 minute' WHERE id = $1", expiring)
    assert await assignments.expire_due(pool) == 1
    await contact(pool, ids[0], after_minutes=5)
    await contact(pool, ids[1], after_minutes=40)
    await contact(pool, ids[3], after_minutes=10, sla_minutes=None)
    await assignments.recall(pool, principal=manager, assignment_id=made["assignments"][0]["id"],
                             customer_ids=[ids[2]])
    await pool.execute("UPDATE assignment_customers SET recall_reason = 'sla_missed' WHERE customer_id = $1", ids[2])
    return manager, rep_a, rep_b, job_id


def counts(**given) -> dict:
    zero = {"assigned": 0, "offered": 0, "accepted": 0, "declined": 0, "expired": 0, "recalled": 0, "sla_missed": 0,
            "open": 0, "contacted_within_sla": 0, "contacted_late": 0, "median_minutes_to_contact": None}
    return {**zero, **given}


async def test_the_report_per_rep_and_in_total(pool):
    manager, rep_a, rep_b, job_id = await a_job_with_two_reps(pool)
    made = await reports.job_report(pool, principal=manager, job_id=job_id)
    assert made["job_id"] == job_id
    a, b = made["reps"]
    assert (a["user_id"], a["username"], b["user_id"], b["username"]) == (rep_a.user_id, "an", rep_b.user_id, "Bao")
    assert {k: v for k, v in a.items() if k not in ("user_id", "username", "full_name")} == counts(
        assigned=4, offered=1, expired=1, recalled=1, sla_missed=1, open=2, contacted_within_sla=1, contacted_late=1,
        median_minutes_to_contact=22.5)
    assert {k: v for k, v in b.items() if k not in ("user_id", "username", "full_name")} == counts(
        assigned=3, offered=3, accepted=2, declined=1, open=2, contacted_within_sla=1, median_minutes_to_contact=10.0)
    assert made["totals"] == counts(assigned=7, offered=4, accepted=2, declined=1, expired=1, recalled=1, sla_missed=1,
                                    open=4, contacted_within_sla=2, contacted_late=1, median_minutes_to_contact=10.0)


async def test_a_job_without_leads_and_who_may_read_it(pool):
    manager, rep_a, _, job_id = await a_job_with_two_reps(pool)
    admin = await person(pool, "/r/", "admin")
    assert (await reports.job_report(pool, principal=admin, job_id=job_id))["totals"]["assigned"] == 7
    for stranger in (await person(pool, OTHER, "manager"), rep_a):
        with pytest.raises(NotFound):
            await reports.job_report(pool, principal=stranger, job_id=job_id)
    with pytest.raises(NotFound):
        await reports.job_report(pool, principal=manager, job_id=uuid.uuid4())
    async with UnitOfWork(pool, source=jobs.SOURCE) as uow:
        empty = await jobs.create(uow, manager, content="Chưa giao", type_="telesales", target=None)
    assert await reports.job_report(pool, principal=manager, job_id=empty["id"]) == {
        "job_id": empty["id"], "sla_minutes": None, "reps": [], "totals": counts()}


@pytest.fixture
async def app():
    async with temp_database(MIGRATIONS) as dsn:
        async with running_service(create_app, AssignmentSettings(database_url=dsn, run_mode="api"),
                                   public_key=PUBLIC) as app:
            yield app


def headers(principal: Principal) -> dict:
    token = sign_test_token(PRIVATE, user_id=principal.user_id, roles=tuple(principal.roles),
                            unit_id=principal.unit_id, unit_path=principal.unit_path)
    return {"Authorization": f"Bearer {token}"}


async def test_the_report_over_http(app):
    manager, rep_a, _, job_id = await a_job_with_two_reps(app.state.pool)
    async with service_client(app) as client:
        seen = await client.get(f"/api/v1/jobs/{job_id}/report", headers=headers(manager))
        assert seen.status_code == 200, seen.text
        assert seen.json()["totals"]["contacted_late"] == 1 and len(seen.json()["reps"]) == 2
        assert seen.json()["sla_minutes"] is None
        hidden = await client.get(f"/api/v1/jobs/{job_id}/report", headers=headers(rep_a))
        assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
