"""The speed-to-lead SLA (A-6) against real PostgreSQL: the clock where leads are handed over,
contacts from the interactions service's events (through the consumer's inbox), and the sweeper
that warns, recalls and redistributes - two at once, and one restarted after a failed batch.

Deadlines are made to pass by moving the stored times into the past (no waiting, no timing)."""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from crmkit.consumer import EventConsumer
from crmkit.db import create_pool
from crmkit.events import Envelope
from crmkit.testing import temp_database
from crmkit.unit_of_work import UnitOfWork

from crm_assignment.api.assignments import AssignmentDetail, JobCreate
from crm_assignment.app import MIGRATIONS
from crm_assignment.consumers import CONSUMERS
from crm_assignment.handlers import assignments, jobs, sla, sla_sweep
from crm_assignment.store import sla as sla_store

from .test_assignments import BRANCH, TEAM, code_of, customers, person, published

SLA_JOB = {"content": "Gọi lead nóng", "type_": "telesales", "target": None, "sla_minutes": 30,
           "warn_before_minutes": 10}
CONTACTS = next(c for c in CONSUMERS if c.name == "contacts")


async def sla_job(pool, manager, **changes) -> dict:
    async with UnitOfWork(pool, source=jobs.SOURCE) as uow:
        return await jobs.create(uow, manager, **{**SLA_JOB, **changes})


async def give(pool, manager, job, reps, count: int, *, direct: bool = True) -> list[dict]:
    made = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, count),
                                        text="Gọi ngay", job_id=job["id"], assignees=[r.user_id for r in reps],
                                        direct=direct)
    return made["assignments"]


async def leads(pool, assignment_id) -> dict[uuid.UUID, asyncpg.Record]:
    return {r["customer_id"]: r for r in await pool.fetch(
        "SELECT * FROM assignment_customers WHERE assignment_id = $1", assignment_id)}


async def overdue(pool, assignment_id, *, warn_only: bool = False) -> None:
    """The assignment's clocks as if started long ago: past the warning time (and the deadline)."""
    past = datetime.now(UTC) - timedelta(minutes=1)
    await pool.execute("UPDATE assignment_customers SET warn_at = $2, contact_due_at = CASE WHEN $3 THEN"
                       " contact_due_at ELSE $2 END WHERE assignment_id = $1", assignment_id, past, warn_only)


def recorded(customer_id, actor, *, type_: str = "call_out", at: datetime | None = None) -> Envelope:
    at = at or datetime.now(UTC)
    return Envelope(type="interaction.recorded", source="interactions", subject=str(customer_id), actor=str(actor),
                    data={"id": str(uuid.uuid4()), "customer_id": str(customer_id), "type": type_,
                          "occurred_at": at.isoformat(), "actor_id": str(actor), "note": None, "data": {}})


async def feed(pool, envelope: Envelope) -> bool:
    consumer = EventConsumer(name="contacts", pool=pool, bootstrap="unused:0", topics=CONTACTS.topics,
                             handlers=CONTACTS.handlers)
    return await consumer.handle(envelope, consumer.handlers[envelope.type])


async def drain(pool, *, batch: int = sla_sweep.BATCH) -> int:
    handled = 0
    while done := await sla_sweep.sweep(pool, batch=batch):
        handled += done
    return handled


@pytest.fixture(autouse=True)
def real_minutes():
    """The clock's minute as in production (the app's setting may have changed it): put back after."""
    before = sla.MINUTE
    sla.configure(minute_seconds=60)
    yield
    sla.MINUTE = before


def test_a_job_refuses_a_warning_at_or_after_its_deadline():
    assert JobCreate(content="x", type="y", sla_minutes=60).warn_before_minutes is None
    for bad in ({"sla_minutes": 10, "warn_before_minutes": 10}, {"warn_before_minutes": 5}, {"sla_minutes": 0},
                {"sla_minutes": 43_201}):
        with pytest.raises(ValueError):
            JobCreate(content="x", type="y", **bad)


async def test_a_jobs_sla_and_its_default_warning(pool):
    manager = await person(pool, BRANCH, "manager")
    assert (await sla_job(pool, manager, warn_before_minutes=None))["warn_before_minutes"] == 7  # 30 // 4
    assert (await sla_job(pool, manager, sla_minutes=None, warn_before_minutes=None))["warn_before_minutes"] == 0
    assert await code_of(sla_job(pool, manager, warn_before_minutes=30)) == (422, "validation_error")


async def test_the_clock_starts_when_the_rep_owns_the_lead(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    job = await sla_job(pool, manager)
    before = datetime.now(UTC)
    [direct] = await give(pool, manager, job, [rep], 2)
    for lead in (await leads(pool, direct["id"])).values():
        assert lead["sla_started_at"] >= before
        assert lead["contact_due_at"] - lead["sla_started_at"] == timedelta(minutes=30)
        assert lead["contact_due_at"] - lead["warn_at"] == timedelta(minutes=10)
    detail = AssignmentDetail.model_validate(await assignments.get(pool, principal=manager, assignment_id=direct["id"]))
    assert detail.strategy == "round_robin" and detail.redistributed_from is None
    assert detail.contact_due_at == min(c.contact_due_at for c in detail.customers)

    [offer] = await give(pool, manager, job, [rep], 1, direct=False)
    assert [lead["contact_due_at"] for lead in (await leads(pool, offer["id"])).values()] == [None]
    await assignments.accept(pool, principal=rep, assignment_id=offer["id"])
    assert all(lead["contact_due_at"] for lead in (await leads(pool, offer["id"])).values())
    # without an SLA, no clock
    [plain] = await give(pool, manager, await sla_job(pool, manager, sla_minutes=None, warn_before_minutes=None),
                         [rep], 1)
    assert [lead["contact_due_at"] for lead in (await leads(pool, plain["id"])).values()] == [None]


async def test_the_holders_first_contact_counts_once_and_a_redelivery_changes_nothing(pool):
    manager, rep, other = (await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales"),
                           await person(pool, TEAM, "sales"))
    [made] = await give(pool, manager, await sla_job(pool, manager), [rep], 2)
    first, second = sorted(await leads(pool, made["id"]))
    started = (await leads(pool, made["id"]))[first]["sla_started_at"]
    # not contacts: someone else's call, the rep's missed call, or a call from before the clock started
    assert await feed(pool, recorded(first, other.user_id))
    assert await feed(pool, recorded(first, rep.user_id, type_="call_missed"))
    assert await feed(pool, recorded(first, rep.user_id, at=started - timedelta(minutes=5)))
    assert (await leads(pool, made["id"]))[first]["contacted_at"] is None

    call = recorded(first, rep.user_id, type_="note")
    assert await feed(pool, call) is True
    contacted_at = (await leads(pool, made["id"]))[first]["contacted_at"]
    assert contacted_at is not None
    assert await feed(pool, call) is False  # redelivered: the inbox absorbs it
    await feed(pool, recorded(first, rep.user_id, at=datetime.now(UTC) + timedelta(minutes=1)))  # a later contact
    assert (await leads(pool, made["id"]))[first]["contacted_at"] == contacted_at

    # the contacted lead is never warned nor recalled; the other is
    await overdue(pool, made["id"])
    assert await drain(pool) == 1
    after = await leads(pool, made["id"])
    assert (after[first]["state"], after[second]["state"], after[second]["recall_reason"]) == (
        "open", "recalled", "sla_missed")
    assert after[second]["closed_at"] is not None
    # a contact after the recall changes nothing
    await feed(pool, recorded(second, rep.user_id))
    assert (await leads(pool, made["id"]))[second]["contacted_at"] is None


async def test_a_contact_after_the_deadline_but_before_the_sweep_is_recorded_late(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    [made] = await give(pool, manager, await sla_job(pool, manager), [rep], 1)
    await overdue(pool, made["id"])
    [customer_id] = await leads(pool, made["id"])
    await feed(pool, recorded(customer_id, rep.user_id, type_="comment"))
    assert await drain(pool) == 0
    lead = (await leads(pool, made["id"]))[customer_id]
    assert lead["state"] == "open" and lead["contacted_at"] > lead["contact_due_at"]  # late, kept


async def test_one_warning_per_assignment_before_the_deadline(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    [made] = await give(pool, manager, await sla_job(pool, manager), [rep], 3)
    assert await drain(pool) == 0  # nothing due yet
    await overdue(pool, made["id"], warn_only=True)
    assert await drain(pool) == 3
    assert await drain(pool) == 0  # warned once
    [warning] = await published(pool, "assignment.sla_warning")
    due = min(lead["contact_due_at"] for lead in (await leads(pool, made["id"])).values())
    assert (warning["assignee_id"], warning["count"], sorted(warning["customer_ids"])) == (
        str(rep.user_id), 3, sorted(str(c) for c in await leads(pool, made["id"])))
    assert datetime.fromisoformat(warning["recall_at"]) == due
    assert all(lead["warned_at"] and lead["state"] == "open" for lead in (await leads(pool, made["id"])).values())
    [row] = await pool.fetch("SELECT payload->>'actor' AS actor FROM outbox WHERE event_type = 'assignment.sla_warning'")
    assert row["actor"] == "system"


async def test_a_missed_deadline_recalls_and_deals_the_leads_to_the_jobs_other_reps(pool):
    manager = await person(pool, BRANCH, "manager")
    slow, second, third = [await person(pool, TEAM, "sales") for _ in range(3)]
    job = await sla_job(pool, manager)
    made = await give(pool, manager, job, [slow, second, third], 3)  # one lead each
    await give(pool, manager, job, [second], 1)
    missed = next(a for a in made if a["assignee_id"] == slow.user_id)
    [customer_id] = await leads(pool, missed["id"])
    await overdue(pool, missed["id"])

    assert await drain(pool) == 1
    [recall] = await published(pool, "assignment.recalled")
    assert (recall["assignment_id"], recall["reason"], recall["customer_ids"]) == (
        str(missed["id"]), "sla_missed", [str(customer_id)])
    assert recall["previous_owner_ids"] == {str(customer_id): str(manager.user_id)}
    [again] = await pool.fetch("SELECT * FROM assignments WHERE redistributed_from = $1", missed["id"])
    assert again["assignee_id"] in (second.user_id, third.user_id)
    assert (again["job_id"], again["text"], again["direct"], again["assigned_by"], again["status"]) == (
        job["id"], "Gọi ngay", True, manager.user_id, "accepted")
    [lead] = (await leads(pool, again["id"])).values()
    assert (lead["customer_id"], lead["state"], lead["previous_owner_id"]) == (customer_id, "open", manager.user_id)
    assert lead["contact_due_at"] > datetime.now(UTC)  # a fresh clock
    handed = [e for e in await published(pool, "assignment.direct") if e["assignment_id"] == str(again["id"])]
    assert [e["customer_ids"] for e in handed] == [[str(customer_id)]]
    # both by `system`, keyed by the missed assignment: one partition, the recall applied first
    keyed = {r["event_type"]: (r["actor"], r["key"]) for r in await pool.fetch(
        "SELECT event_type, key, payload->>'actor' AS actor FROM outbox WHERE event_type IN"
        " ('assignment.recalled', 'assignment.direct') AND payload->'data'->>'assignment_id' = ANY($1::text[])",
        [str(missed["id"]), str(again["id"])])}
    assert keyed == {"assignment.recalled": ("system", str(missed["id"])),
                     "assignment.direct": ("system", str(missed["id"]))}
    detail = await assignments.get(pool, principal=manager, assignment_id=again["id"])
    assert detail["redistributed_from"] == missed["id"]


async def test_with_no_other_active_rep_the_lead_stays_with_its_previous_owner(pool):
    manager, rep, gone = (await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales"),
                          await person(pool, TEAM, "sales"))
    job = await sla_job(pool, manager)
    await give(pool, manager, job, [gone], 1)
    await pool.execute("UPDATE directory_users SET active = false WHERE id = $1", gone.user_id)
    [made] = await give(pool, manager, job, [rep], 2)
    await overdue(pool, made["id"])
    assert await drain(pool) == 2
    assert len(await published(pool, "assignment.recalled")) == 1
    assert await pool.fetchval("SELECT count(*) FROM assignments WHERE redistributed_from IS NOT NULL") == 0


async def test_an_offer_is_redistributed_as_an_offer_with_the_same_time_to_answer(pool):
    manager, slow, other = (await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales"),
                            await person(pool, TEAM, "sales"))
    job = await sla_job(pool, manager)
    made = await assignments.distribute(pool, principal=manager, customer_ids=await customers(pool, manager, 2),
                                        text="x", job_id=job["id"], quantities=[(slow.user_id, 1),
                                                                                 (other.user_id, 1)],
                                        accept_within=timedelta(minutes=30))
    offer = next(a for a in made["assignments"] if a["assignee_id"] == slow.user_id)
    await assignments.accept(pool, principal=slow, assignment_id=offer["id"])
    await overdue(pool, offer["id"])
    assert await drain(pool) == 1
    [again] = await pool.fetch("SELECT * FROM assignments WHERE redistributed_from = $1", offer["id"])
    assert (again["assignee_id"], again["status"], again["strategy"]) == (other.user_id, "offered", "round_robin")
    assert abs(again["expires_at"] - again["created_at"] - timedelta(minutes=30)) < timedelta(minutes=1)
    assert [lead["contact_due_at"] for lead in (await leads(pool, again["id"])).values()] == [None]  # on accept


async def test_two_sweepers_at_once_recall_each_lead_once(pool):
    manager, slow, other = (await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales"),
                            await person(pool, TEAM, "sales"))
    job = await sla_job(pool, manager)
    await give(pool, manager, job, [other], 1)
    [made] = await give(pool, manager, job, [slow], 60)
    await overdue(pool, made["id"])

    handled = await asyncio.gather(drain(pool, batch=7), drain(pool, batch=7), drain(pool, batch=7))
    assert sum(handled) == 60
    recalled = [c for e in await published(pool, "assignment.recalled") for c in e["customer_ids"]]
    assert len(recalled) == 60 and len(set(recalled)) == 60
    dealt_again = [c for e in await published(pool, "assignment.direct") for c in e["customer_ids"]
                   if e["assignee_id"] == str(other.user_id) and c in set(recalled)]
    assert sorted(dealt_again) == sorted(recalled)  # each once
    assert await pool.fetchval("SELECT count(*) FROM assignment_customers WHERE state = 'open'"
                               " AND customer_id = ANY($1::uuid[])", [uuid.UUID(c) for c in recalled]) == 60


async def test_a_sweeper_restarted_after_a_failed_batch_recalls_what_is_left_once():
    """A batch whose transaction never commits (the process died) leaves its leads open; a new
    process (a new pool) takes them again; the batch that had committed is not repeated."""
    async with temp_database(MIGRATIONS) as dsn:
        first = await create_pool(dsn, min_size=1, max_size=4)
        try:
            manager, slow, other = (await person(first, BRANCH, "manager"), await person(first, TEAM, "sales"),
                                    await person(first, TEAM, "sales"))
            job = await sla_job(first, manager)
            await give(first, manager, job, [other], 1)
            [made] = await give(first, manager, job, [slow], 30)
            await overdue(first, made["id"])
            assert await sla_sweep.recall_batch(first, limit=10) == 10
            with pytest.raises(RuntimeError):  # the next batch dies before it commits
                async with UnitOfWork(first, source=sla_sweep.SOURCE) as uow:
                    assert len(await sla_store.recall_due(uow.conn, limit=10, reason="sla_missed")) == 10
                    raise RuntimeError("killed")
        finally:
            await first.close()
        restarted = await create_pool(dsn, min_size=1, max_size=4)
        try:
            assert await drain(restarted, batch=10) == 20
            recalled = [c for e in await published(restarted, "assignment.recalled") for c in e["customer_ids"]]
            assert len(recalled) == 30 and len(set(recalled)) == 30
            assert await restarted.fetchval("SELECT count(*) FROM assignment_customers WHERE assignment_id = $1"
                                            " AND state = 'recalled' AND recall_reason = 'sla_missed'",
                                            made["id"]) == 30
        finally:
            await restarted.close()


async def test_a_managers_recall_says_so_and_closes_the_leads(pool):
    manager, rep = await person(pool, BRANCH, "manager"), await person(pool, TEAM, "sales")
    [made] = await give(pool, manager, await sla_job(pool, manager), [rep], 2)
    first, _ = sorted(await leads(pool, made["id"]))
    await assignments.recall(pool, principal=manager, assignment_id=made["id"], customer_ids=[first])
    await assignments.recall(pool, principal=manager, assignee_id=rep.user_id)
    reasons = sorted((lead["recall_reason"], lead["closed_at"] is not None)
                     for lead in (await leads(pool, made["id"])).values())
    assert reasons == [("assignee_recalled", True), ("recalled", True)]
    assert [e.get("reason") for e in await published(pool, "assignment.recalled")] == [None, None]
