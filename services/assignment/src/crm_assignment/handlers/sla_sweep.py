"""The SLA sweeper (A-6), run by every replica (app.py): leads past their deadline and not
contacted are recalled (`assignment.recalled` with `reason: "sla_missed"`, by `system`) and dealt
again under the same job by its last strategy among its other active reps, as new assignments
(`redistributed_from`, the same text and `direct` flag, the same assigner, a fresh clock); with no
other rep they stay with their previous owner. Leads whose warning time has passed get one
`assignment.sla_warning` per assignment.

One transaction per batch of at most BATCH leads. Several replicas at once: each batch's leads are
taken with row locks another sweeper skips (SKIP LOCKED) and changed only while still open and
uncontacted in the same statement, so each lead is recalled (and warned) once; all state is in the
database, so a restart mid-way resumes with what is left (a batch rolled back is taken again)."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.unit_of_work import UnitOfWork

from crm_assignment import events
from crm_assignment.domain import distribution, sla
from crm_assignment.handlers import assignments as handover
from crm_assignment.handlers.sla import clock_for
from crm_assignment.store import assignments as store
from crm_assignment.store import sla as sla_store

SOURCE = "assignment"
SYSTEM = "system"
# leads per transaction: a batch's recall events (2,000 customers each) and its redistribution
# stay a short transaction
BATCH = 5_000


async def sweep(pool: asyncpg.Pool, *, batch: int = BATCH) -> int:
    """One batch of recalls, then one of warnings; how many leads were handled (0: nothing due)."""
    recalled = await recall_batch(pool, limit=batch)
    warned = await warn_batch(pool, limit=batch)
    return recalled + warned


def _by_assignment(rows: list[asyncpg.Record]) -> dict[uuid.UUID, list[asyncpg.Record]]:
    grouped: dict[uuid.UUID, list[asyncpg.Record]] = defaultdict(list)
    for row in rows:
        grouped[row["assignment_id"]].append(row)
    return grouped


async def warn_batch(pool: asyncpg.Pool, *, limit: int = BATCH) -> int:
    """Leads whose warning time has passed, not contacted: marked warned, and their holder told
    (one event per assignment, `recall_at` its earliest deadline)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        due = _by_assignment(await sla_store.warn_due(uow.conn, limit=limit))
        for assignment in await sla_store.assignments_with_jobs(uow.conn, list(due)):
            leads = due[assignment["id"]]
            await handover.publish_moves(uow, events.AssignmentSlaWarning, dict(assignment),
                                         sorted(r["customer_id"] for r in leads), actor=SYSTEM,
                                         recall_at=min(r["contact_due_at"] for r in leads))
    return sum(len(leads) for leads in due.values())


async def recall_batch(pool: asyncpg.Pool, *, limit: int = BATCH) -> int:
    """Leads past their deadline, not contacted: recalled from their rep and dealt again."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        due = _by_assignment(await sla_store.recall_due(uow.conn, limit=limit, reason=sla.SLA_MISSED))
        for assignment in await sla_store.assignments_with_jobs(uow.conn, list(due)):
            missed = sorted(due[assignment["id"]], key=lambda r: r["customer_id"])
            await _publish_recall(uow, dict(assignment), missed)
            await _redistribute(uow, dict(assignment), missed)
    return sum(len(leads) for leads in due.values())


async def _publish_recall(uow: UnitOfWork, assignment: dict[str, Any], missed: list[asyncpg.Record]) -> None:
    """The customers service gives them back to their previous owners (and the timeline says why)."""
    await handover.publish_moves(
        uow, events.AssignmentRecalled, assignment, [r["customer_id"] for r in missed], actor=SYSTEM,
        reason=sla.SLA_MISSED,
        previous_owner_ids={str(r["customer_id"]): r["previous_owner_id"] for r in missed},
        previous_owner_units={str(r["customer_id"]): {"unit_id": r["previous_owner_unit_id"],
                                                      "unit_path": r["previous_owner_unit_path"]} for r in missed})


async def _other_reps(conn: asyncpg.Connection, original: dict[str, Any], strategy: str
                      ) -> tuple[list[distribution.Rep], dict[uuid.UUID, asyncpg.Record]]:
    """The job's reps still active in sales, but the one who missed the deadline (roster order)."""
    rep_ids = [u for u in await sla_store.job_rep_ids(conn, original["job_id"]) if u != original["assignee_id"]]
    roster = {r["user_id"]: r for r in await sla_store.active_reps(
        conn, rep_ids, with_load=strategy == "least_loaded")} if rep_ids else {}
    return [distribution.Rep(user_id=r["user_id"], weight=r["weight"], capacity=r["capacity"],
                             open_leads=r["open_leads"]) for r in roster.values()], roster


async def _redistribute(uow: UnitOfWork, original: dict[str, Any], missed: list[asyncpg.Record]) -> None:
    """Deal the missed leads again under the same job; nothing when no other rep can take them
    (they stay with their previous owner)."""
    conn, job_id = uow.conn, original["job_id"]
    strategy = sla.redistribution_strategy(await sla_store.last_strategy(conn, job_id))
    reps, roster = await _other_reps(conn, original, strategy)
    if not reps:
        return
    ids = [r["customer_id"] for r in missed]
    after = await store.last_round_robin(conn, job_id) if strategy == "round_robin" else None
    try:
        shares = distribution.distribute(ids, reps=reps, strategy=strategy, after=after)
    except distribution.CannotDistribute:  # least_loaded: the other reps are at capacity
        return
    previous = {r["customer_id"]: r for r in missed}
    now = datetime.now(UTC)
    expires_at = None if original["direct"] else now + (original["expires_at"] - original["created_at"])
    for assignee_id, share in shares.items():
        made = dict(await store.insert(conn, "assignments", {
            "id": uuid.uuid4(), "job_id": job_id, "assignee_id": assignee_id, "assigned_by": original["assigned_by"],
            "text": original["text"], "direct": original["direct"],
            "status": "accepted" if original["direct"] else "offered", "expires_at": expires_at,
            "decided_at": now if original["direct"] else None, "strategy": strategy,
            "redistributed_from": original["id"]}))
        await store.add_customers(conn, rows=[
            (made["id"], c, previous[c]["previous_owner_id"], previous[c]["previous_owner_unit_id"],
             previous[c]["previous_owner_unit_path"]) for c in share],
            clock=clock_for(original, now) if original["direct"] else None)
        await _publish_handover(uow, made, share, roster.get(assignee_id), after=original["id"])
    if strategy == "round_robin":
        await store.set_round_robin(conn, job_id, handover.last_dealt(ids, shares))


async def _publish_handover(uow: UnitOfWork, made: dict[str, Any], share: list[uuid.UUID],
                            rep: asyncpg.Record | None, *, after: uuid.UUID) -> None:
    """Keyed like the recall (`after`, the missed assignment), so that the customers service
    applies the recall first: the other order would make the recall a no-op there (an older
    event), and the timeline would lose its `recalled` line and the reason."""
    unit = handover.handover_unit(rep)
    if made["direct"]:
        await handover.publish_moves(uow, events.AssignmentDirect, made, share, actor=SYSTEM, subject=after, **unit)
    else:
        await handover.publish_moves(uow, events.AssignmentOffered, made, share, actor=SYSTEM, subject=after,
                                     expires_at=made["expires_at"], **unit)
