"""SQL of the speed-to-lead SLA (A-6): the leads' clocks, their first contact, and the sweeper's
two queues (leads to warn, leads past their deadline), each taken with row locks that another
sweeper skips (SKIP LOCKED) and changed only while still open, so each lead is warned and
recalled once whatever the number of replicas."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


async def start_clock(conn: asyncpg.Connection, assignment_id: uuid.UUID, *, started_at: datetime,
                      due_at: datetime, warn_at: datetime | None) -> None:
    """The assignment's open leads are owned from `started_at` (an accepted offer)."""
    await conn.execute(
        "UPDATE assignment_customers SET sla_started_at = $2, contact_due_at = $3, warn_at = $4"
        " WHERE assignment_id = $1 AND state = 'open'", assignment_id, started_at, due_at, warn_at)


async def mark_contacted(conn: asyncpg.Connection, *, customer_id: uuid.UUID, assignee_id: uuid.UUID,
                         contacted_at: datetime) -> bool:
    """The first contact of the lead's holder counts (from its clock's start): later ones, a
    redelivered event, or a lead already recalled change nothing. Whether it counted."""
    return await conn.fetchval(
        "UPDATE assignment_customers c SET contacted_at = $3 FROM assignments a"
        " WHERE c.customer_id = $1 AND c.state = 'open' AND a.id = c.assignment_id AND a.assignee_id = $2"
        " AND c.contacted_at IS NULL AND c.sla_started_at <= $3 RETURNING true",
        customer_id, assignee_id, contacted_at) or False


async def warn_due(conn: asyncpg.Connection, *, limit: int) -> list[asyncpg.Record]:
    """Up to `limit` leads whose warning time has passed, not contacted nor warned yet, and still
    before their deadline (past it, the recall is the news): marked warned now; (assignment_id,
    customer_id, contact_due_at)."""
    return await conn.fetch(
        "WITH due AS (SELECT assignment_id, customer_id FROM assignment_customers"
        "   WHERE state = 'open' AND contacted_at IS NULL AND warned_at IS NULL AND warn_at <= now()"
        "   AND contact_due_at > now()"
        "   ORDER BY warn_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
        " UPDATE assignment_customers c SET warned_at = now() FROM due"
        " WHERE c.assignment_id = due.assignment_id AND c.customer_id = due.customer_id"
        "   AND c.state = 'open' AND c.contacted_at IS NULL AND c.warned_at IS NULL"
        " RETURNING c.assignment_id, c.customer_id, c.contact_due_at", limit)


async def recall_due(conn: asyncpg.Connection, *, limit: int, reason: str) -> list[asyncpg.Record]:
    """Up to `limit` leads past their deadline and not contacted: recalled now with `reason`;
    with their previous owner (whom the recall gives them back to)."""
    return await conn.fetch(
        "WITH due AS (SELECT assignment_id, customer_id FROM assignment_customers"
        "   WHERE state = 'open' AND contacted_at IS NULL AND contact_due_at <= now()"
        "   ORDER BY contact_due_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
        " UPDATE assignment_customers c SET state = 'recalled', closed_at = now(), recall_reason = $2 FROM due"
        " WHERE c.assignment_id = due.assignment_id AND c.customer_id = due.customer_id"
        "   AND c.state = 'open' AND c.contacted_at IS NULL"
        " RETURNING c.assignment_id, c.customer_id, c.previous_owner_id, c.previous_owner_unit_id,"
        "   c.previous_owner_unit_path", limit, reason)


async def assignments_with_jobs(conn: asyncpg.Connection, ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    """The assignments `ids` with their job's SLA, oldest first."""
    return await conn.fetch(
        "SELECT a.id, a.job_id, a.assignee_id, a.assigned_by, a.text, a.direct, a.expires_at, a.created_at,"
        " a.strategy, j.sla_minutes, j.warn_before_minutes FROM assignments a JOIN jobs j ON j.id = a.job_id"
        " WHERE a.id = ANY($1::uuid[]) ORDER BY a.created_at, a.id", ids)


async def last_strategy(conn: asyncpg.Connection, job_id: uuid.UUID) -> str | None:
    """How the job's latest distribution (not a redistribution) chose its shares."""
    return await conn.fetchval(
        "SELECT strategy FROM assignments WHERE job_id = $1 AND redistributed_from IS NULL"
        " ORDER BY created_at DESC, id DESC LIMIT 1", job_id)


async def job_rep_ids(conn: asyncpg.Connection, job_id: uuid.UUID) -> list[uuid.UUID]:
    """Everyone who was ever given leads under the job (the roster then keeps the active reps)."""
    return [r["assignee_id"] for r in await conn.fetch(
        "SELECT DISTINCT assignee_id FROM assignments WHERE job_id = $1", job_id)]


async def active_reps(conn: asyncpg.Connection, user_ids: list[uuid.UUID], *, with_load: bool
                      ) -> list[asyncpg.Record]:
    """Those of `user_ids` who are active sales users (roster order), with weight and capacity;
    their open leads only `with_load` (least-loaded dealing): counting them reads every open lead
    of each rep, which the sweeper would pay for each assignment it deals again (5 s of a
    100,000-lead recall, bench/assignment_sla_bench.py)."""
    load = ("(SELECT count(*) FROM assignment_customers ac JOIN assignments x ON x.id = ac.assignment_id"
            " WHERE x.assignee_id = u.id AND ac.state = 'open')") if with_load else "0"
    return await conn.fetch(
        "SELECT u.id AS user_id, u.unit_id, u.unit_path, COALESCE(s.weight, 1) AS weight, s.capacity,"
        f" {load} AS open_leads FROM directory_users u LEFT JOIN roster_settings s ON s.user_id = u.id"
        " WHERE u.active AND 'sales' = ANY(u.roles) AND u.id = ANY($1::uuid[]) ORDER BY lower(u.username), u.id",
        user_ids)
