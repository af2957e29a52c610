"""Jobs ("công việc", A-2): content and type required, target optional; a distribution happens
under an existing job or one created in the same call."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Invalid, NotFound
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork

from crm_assignment import events
from crm_assignment.domain import sla
from crm_assignment.handlers import access
from crm_assignment.store import assignments as store

SOURCE = "assignment"


async def create(uow: UnitOfWork, principal: Principal, *, content: str, type_: str, target: str | None,
                 sla_minutes: int | None = None, warn_before_minutes: int | None = None) -> dict[str, Any]:
    """In the caller's unit of work: a job of its own (POST /jobs) or one made with a distribution;
    with `sla_minutes`, a speed-to-lead SLA on every lead handed over under it (A-6)."""
    access.reach(principal)
    if not sla.warn_before_valid(sla_minutes, warn_before_minutes):
        raise Invalid(FieldError("warn_before_minutes", "warn_before_sla"))
    row = dict(await store.insert(uow.conn, "jobs", {
        "id": uuid.uuid4(), "content": content.strip(), "type": type_.strip(), "target": (target or "").strip() or None,
        "created_by": principal.user_id, "unit_path": principal.unit_path or None, "sla_minutes": sla_minutes,
        "warn_before_minutes": sla.warn_before_or_default(sla_minutes, warn_before_minutes)}))
    await uow.publish(events.JobCreated(**{k: row[k] for k in ("id", "content", "type", "target", "created_by")}),
                      subject=row["id"])
    return row


async def visible_job(conn: asyncpg.Connection, principal: Principal, job_id: uuid.UUID) -> dict[str, Any]:
    """A job of the caller's subtree (not found otherwise, as if it did not exist)."""
    job = await store.get_job(conn, job_id)
    if job is None or not (job["created_by"] == principal.user_id or access.covers(principal, job["unit_path"])):
        raise NotFound()
    return dict(job)


async def get(pool: asyncpg.Pool, principal: Principal, job_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        return await visible_job(conn, principal, job_id)


async def list_jobs(pool: asyncpg.Pool, principal: Principal, *, limit: int, cursor: str | None
                    ) -> tuple[list[dict[str, Any]], str | None]:
    prefix = access.reach(principal)
    async with pool.acquire() as conn:
        rows = [dict(r) for r in await store.page_jobs(conn, reach=prefix, limit=limit + 1,
                                                       after=time_id_after(cursor))]
    return page_of(rows, limit, time_id_cursor)
