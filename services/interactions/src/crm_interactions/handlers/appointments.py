"""Appointments and tasks (I-8): planned → done | cancelled. Each use case is one transaction:
rules, store writes, outbox rows (and the `appointment` timeline entry of a customer's appointment)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, NotFound
from crmkit.pagination import page_of, time_id_after
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_interactions import events
from crm_interactions.domain import tickets
from crm_interactions.handlers import ticket_rules as rules
from crm_interactions.handlers.timeline import SOURCE
from crm_interactions.store import appointments as store

TYPES = ("meeting", "call", "task", "payment_due", "other")
EDITABLE_FIELDS = ("title", "type", "assignee_id", "starts_at", "ends_at", "all_day", "location", "note")
REQUIRED_FIELDS = ("title", "type", "assignee_id", "starts_at", "all_day")


def _event_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "customer_id": row["customer_id"], "assignee_id": row["assignee_id"],
            "type": row["type"], "starts_at": row["starts_at"], "status": row["status"], "version": row["version"]}


def _time_problems(starts_at: datetime | None, ends_at: datetime | None) -> list[FieldError]:
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        return [FieldError("ends_at", "out_of_range")]
    return []


async def _locked(conn: asyncpg.Connection, principal: Principal, appointment_id: uuid.UUID,
                  expected_version: int | None) -> dict[str, Any]:
    """The locked appointment the caller may see (and so edit) at the version they read: else NotFound or VersionConflict."""
    current = await store.get_visible(conn, appointment_id=appointment_id, principal=principal, lock=True)
    if current is None:
        raise NotFound()
    check_version(current["version"], expected_version)
    return current


async def create(pool: asyncpg.Pool, *, principal: Principal, title: str, type: str, starts_at: datetime,
                 customer_id: uuid.UUID | None = None, assignee_id: uuid.UUID | None = None,
                 ends_at: datetime | None = None, all_day: bool = False, location: str | None = None,
                 note: str | None = None) -> dict[str, Any]:
    values = tickets.clean({"title": title, "location": location, "note": note})
    starts_at = tickets.as_aware(starts_at)
    ends_at = tickets.as_aware(ends_at) if ends_at is not None else None
    problems = [FieldError("title", "blank")] if values["title"] is None else []
    problems += _time_problems(starts_at, ends_at)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        if customer_id is not None:
            await rules.check_customer(uow.conn, principal, customer_id)
        problems += await rules.assignee_problems(uow.conn, principal, assignee_id)
        if problems:
            raise tickets.unprocessable(problems)
        row = await store.insert(uow.conn, values={
            "id": uuid.uuid4(), "title": values["title"], "type": type, "customer_id": customer_id,
            "assignee_id": assignee_id or principal.user_id, "starts_at": starts_at, "ends_at": ends_at,
            "all_day": all_day, "location": values["location"], "note": values["note"],
            "created_by": principal.user_id,
        })
        await uow.publish(events.AppointmentCreated(**_event_fields(row), title=row["title"]), subject=row["id"])
        if customer_id is not None:
            await rules.record_on_timeline(
                uow, principal, customer_id=customer_id, type_="appointment", note=row["title"],
                data={"appointment_id": str(row["id"]), "type": row["type"], "starts_at": row["starts_at"].isoformat(),
                      "assignee_id": str(row["assignee_id"])})
        return row


async def get(pool: asyncpg.Pool, *, principal: Principal, appointment_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await store.get_visible(conn, appointment_id=appointment_id, principal=principal)
    if row is None:
        raise NotFound()
    return row


async def list_appointments(pool: asyncpg.Pool, *, principal: Principal, status: str | None = None,
                            assignee_id: uuid.UUID | None = None, type: str | None = None,
                            customer_id: uuid.UUID | None = None, from_: datetime | None = None,
                            to: datetime | None = None, limit: int = 50, cursor: str | None = None
                            ) -> tuple[list[dict[str, Any]], str | None]:
    """Soonest first among the appointments the caller sees; `from`/`to` bound the start [from, to)."""
    query = store.Query(principal)
    if status:
        query.where(f"t.status = {query.add(status)}")
    if assignee_id:
        query.where(f"t.assignee_id = {query.add(assignee_id)}")
    if type:
        query.where(f"t.type = {query.add(type)}")
    if customer_id:
        query.where(f"t.customer_id = {query.add(customer_id)}")
    if from_ is not None:
        query.where(f"t.starts_at >= {query.add(tickets.as_aware(from_))}")
    if to is not None:
        query.where(f"t.starts_at < {query.add(tickets.as_aware(to))}")
    async with pool.acquire() as conn:
        rows = await store.page(conn, query, limit=limit + 1, after=time_id_after(cursor))
    return page_of(rows, limit, lambda r: {"t": r["starts_at"].isoformat(), "id": str(r["id"])})


async def update(pool: asyncpg.Pool, *, principal: Principal, appointment_id: uuid.UUID,
                 expected_version: int | None, changes: dict[str, Any]) -> dict[str, Any]:
    """Partial update; `null` clears ends_at, location and note (the other fields are required)."""
    values = tickets.clean({k: v for k, v in changes.items() if k in EDITABLE_FIELDS})
    for name in ("starts_at", "ends_at"):
        if values.get(name) is not None:
            values[name] = tickets.as_aware(values[name])
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await _locked(uow.conn, principal, appointment_id, expected_version)
        problems = tickets.blank_problems(values, REQUIRED_FIELDS)
        problems += _time_problems(values.get("starts_at", current["starts_at"]),
                                   values.get("ends_at", current["ends_at"]))
        if values.get("assignee_id") and values["assignee_id"] != current["assignee_id"]:
            problems += await rules.assignee_problems(uow.conn, principal, values["assignee_id"])
        if problems:
            raise tickets.unprocessable(problems)
        changed = [k for k in EDITABLE_FIELDS if k in values and values[k] != current[k]]
        if not changed:
            return current
        row = await store.update(uow.conn, appointment_id=appointment_id, values={k: values[k] for k in changed})
        await uow.publish(events.AppointmentUpdated(**_event_fields(row), changed=changed), subject=row["id"])
        return row


async def change_status(pool: asyncpg.Pool, *, principal: Principal, appointment_id: uuid.UUID, status: str,
                        expected_version: int | None = None) -> dict[str, Any]:
    """planned → done | cancelled; anything else is Conflict `invalid_transition`."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await _locked(uow.conn, principal, appointment_id, expected_version)
        if status not in tickets.APPOINTMENT_TRANSITIONS.get(current["status"], ()):
            raise tickets.invalid_transition(current["status"], status)
        now = datetime.now(UTC)
        stamp = {"completed_at": now} if status == "done" else {"cancelled_at": now}
        row = await store.update(uow.conn, appointment_id=appointment_id, values={"status": status, **stamp})
        await uow.publish(events.AppointmentStatusChanged(**_event_fields(row), from_=current["status"], to=status),
                          subject=row["id"])
        return row


async def delete(pool: asyncpg.Pool, *, principal: Principal, appointment_id: uuid.UUID,
                 expected_version: int | None = None) -> None:
    """Soft delete by someone who may see the appointment."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await _locked(uow.conn, principal, appointment_id, expected_version)
        row = await store.update(uow.conn, appointment_id=appointment_id, values={"deleted_at": datetime.now(UTC)})
        await uow.publish(events.AppointmentDeleted(**_event_fields(row)), subject=row["id"])
