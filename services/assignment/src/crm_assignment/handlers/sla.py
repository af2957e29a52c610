"""The speed-to-lead clock of leads (A-6) where distribution and offers hand them over, and the
contacts that stop it: the interactions service's timeline entries of the lead's holder
(`interaction.recorded`, consumed with crmkit's inbox). The sweeper that warns and recalls is
handlers/sla_sweep.py; the rules are domain/sla.py."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from crmkit.events import Envelope

from crm_assignment.consumed_events import ContactRecorded
from crm_assignment.domain import sla
from crm_assignment.store import assignments as store
from crm_assignment.store import sla as sla_store

# how long one of a job's `sla_minutes` lasts: the service's setting `sla_minute_seconds`
# (configure(), at start-up); a minute unless configured
MINUTE = timedelta(minutes=1)


def configure(*, minute_seconds: float) -> None:
    global MINUTE
    MINUTE = timedelta(seconds=minute_seconds)


def clock_for(job: Mapping[str, Any], started_at: datetime) -> tuple[datetime, datetime, datetime | None] | None:
    """(start, deadline, warning time) of a lead owned from `started_at` under `job` (None: no SLA)."""
    clock = sla.clock(sla_minutes=job["sla_minutes"], warn_before_minutes=job["warn_before_minutes"],
                      started_at=started_at, minute=MINUTE)
    return (clock.started_at, clock.due_at, clock.warn_at) if clock else None


async def start_on_accept(conn: asyncpg.Connection, assignment: Mapping[str, Any]) -> None:
    """An accepted offer: the rep owns its leads from now, their clock starts."""
    job = await store.get_job(conn, assignment["job_id"])
    clock = clock_for(job, datetime.now(UTC)) if job is not None else None
    if clock is not None:
        started_at, due_at, warn_at = clock
        await sla_store.start_clock(conn, assignment["id"], started_at=started_at, due_at=due_at, warn_at=warn_at)


def with_deadline(assignment: dict[str, Any], customers: list[dict[str, Any]]) -> dict[str, Any]:
    """The assignment's view with its customers and its next deadline (`contact_due_at`)."""
    return {**assignment, "customers": customers, "contact_due_at": sla.earliest_due(customers)}


async def on_interaction_recorded(conn: asyncpg.Connection, envelope: Envelope, entry: ContactRecorded) -> None:
    """A call, note, comment or care ticket of the lead's holder, from its clock's start, is the
    lead's first contact (a later one, or this event redelivered, changes nothing; a contact past
    the deadline but before the sweep is recorded, late)."""
    if entry.actor_id is None or not sla.is_contact(entry.type):
        return
    await sla_store.mark_contacted(conn, customer_id=entry.customer_id, assignee_id=entry.actor_id,
                                   contacted_at=entry.occurred_at)
