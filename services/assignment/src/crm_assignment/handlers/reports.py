"""A job's report (issue 13): per rep and in total, what became of the leads handed over under it
(assigned, offers and their outcomes, recalls, open, contacts within the SLA and the median time to
a first contact). Visible as the job is: to whoever may see the job, not found to anyone else."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit import directory
from crmkit.auth import Principal

from crm_assignment.domain import report
from crm_assignment.handlers import jobs
from crm_assignment.store import reports as store


async def job_report(pool: asyncpg.Pool, *, principal: Principal, job_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        job = await jobs.visible_job(conn, principal, job_id)
        tallies = [report.Tally(**dict(row)) for row in await store.tally(conn, job_id)]
        users = await directory.get_users(conn, [t.user_id for t in tallies if t.user_id is not None])
    names = {user_id: {"username": u["username"], "full_name": u["full_name"]} for user_id, u in users.items()}
    return {"job_id": job["id"], "sla_minutes": job.get("sla_minutes"), **report.assemble(tallies, names)}
