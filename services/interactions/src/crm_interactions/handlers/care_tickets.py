"""Care tickets (I-6): planned → done | cancelled. Each use case is one transaction: rules,
store writes, outbox rows (and the `care` timeline entry when a ticket is completed)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict
from crmkit.unit_of_work import UnitOfWork

from crm_interactions import events
from crm_interactions.domain import tickets
from crm_interactions.domain.text import fold
from crm_interactions.handlers import ticket_rules as rules
from crm_interactions.handlers.timeline import SOURCE
from crm_interactions.store import tickets as store

TABLE = "care_tickets"
METHODS = ("call", "meeting", "email", "sms", "zalo")
SCOPES = ("all", "mine", "my_unit", "today")
EDITABLE_FIELDS = ("method", "planned_at", "assignee_id", "note")


def _event_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "customer_id": row["customer_id"], "status": row["status"],
            "assignee_id": row["assignee_id"], "version": row["version"]}


async def create(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, method: str,
                 planned_at: datetime, assignee_id: uuid.UUID | None = None, note: str | None = None) -> dict[str, Any]:
    values = tickets.clean({"note": note})
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await rules.check_customer(uow.conn, principal, customer_id)
        if problems := await rules.assignee_problems(uow.conn, principal, assignee_id):
            raise tickets.unprocessable(problems)
        row = await store.insert(uow.conn, TABLE, values={
            "id": uuid.uuid4(), "customer_id": customer_id, "method": method,
            "planned_at": tickets.as_aware(planned_at),
            "assignee_id": assignee_id or principal.user_id, "note": values["note"],
            "search_text": fold(values["note"]), "created_by": principal.user_id,
        })
        await uow.publish(events.CareTicketCreated(**_event_fields(row), method=row["method"],
                                                   planned_at=row["planned_at"]), subject=row["id"])
        return row


async def get(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        return await rules.readable(conn, TABLE, principal, ticket_id)


async def list_tickets(pool: asyncpg.Pool, *, principal: Principal, scope: str = "all", status: str | None = None,
                       customer_id: uuid.UUID | None = None, q: str | None = None, limit: int = 50,
                       cursor: str | None = None, now: datetime | None = None
                       ) -> tuple[list[dict[str, Any]], str | None]:
    """Newest planned first. `today` = planned today in Vietnam, among the tickets the caller sees."""
    query = store.Query(principal)
    if scope == "today":
        start, end = tickets.local_day(now)
        query.where(f"t.planned_at >= {query.add(start)} AND t.planned_at < {query.add(end)}")
    else:
        rules.scope_clause(scope, principal, query)
    return await rules.page(pool, TABLE, query, status=status, customer_id=customer_id, q=q, sort="planned_at",
                            limit=limit, cursor=cursor)


async def update(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID, expected_version: int | None,
                 changes: dict[str, Any]) -> dict[str, Any]:
    """Partial update of a planned ticket; `null` clears the note (method, time, assignee are required).
    The assignee may reschedule; reassigning needs the right to edit the customer."""
    values = tickets.clean({k: v for k, v in changes.items() if k in EDITABLE_FIELDS})
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await rules.editable(uow.conn, TABLE, principal, ticket_id, expected_version,
                                       manages=tickets.reassigning(values, ("assignee_id",)))
        if current["status"] != "planned":
            raise Conflict("ticket_closed", params={"status": current["status"]},
                           details={"ticket_status": current["status"]})
        problems = tickets.blank_problems(values, ("method", "planned_at", "assignee_id"))
        if values.get("assignee_id") and values["assignee_id"] != current["assignee_id"]:
            problems += await rules.assignee_problems(uow.conn, principal, values["assignee_id"])
        if problems:
            raise tickets.unprocessable(problems)
        if "planned_at" in values:
            values["planned_at"] = tickets.as_aware(values["planned_at"])
        changed = [k for k in EDITABLE_FIELDS if k in values and values[k] != current[k]]
        if not changed:
            return current
        writes = {k: values[k] for k in changed}
        if "note" in writes:
            writes["search_text"] = fold(writes["note"], current["result"])
        row = await store.update(uow.conn, TABLE, ticket_id=ticket_id, values=writes)
        await uow.publish(events.CareTicketUpdated(**_event_fields(row), changed=changed), subject=row["id"])
        return row


async def complete(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID, result: str | None,
                   expected_version: int | None = None) -> dict[str, Any]:
    """planned → done with the result; the customer's timeline gets a `care` entry."""
    result = tickets.clean({"result": result})["result"]
    if problems := tickets.blank_problems({"result": result}, ("result",)):
        raise tickets.unprocessable(problems)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await rules.editable(uow.conn, TABLE, principal, ticket_id, expected_version)
        if current["status"] != "planned":
            raise tickets.invalid_transition(current["status"], "done")
        row = await store.update(uow.conn, TABLE, ticket_id=ticket_id, values={
            "status": "done", "result": result, "completed_at": datetime.now().astimezone(),
            "search_text": fold(current["note"], result)})
        await uow.publish(events.CareTicketCompleted(**_event_fields(row), result=result), subject=row["id"])
        await rules.record_on_timeline(uow, principal, customer_id=row["customer_id"], type_="care", note=result,
                                       data={"care_ticket_id": str(row["id"]), "method": row["method"],
                                             "planned_at": row["planned_at"].isoformat()})
        return row


async def cancel(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID, reason: str | None = None,
                 expected_version: int | None = None) -> dict[str, Any]:
    """planned → cancelled."""
    reason = tickets.clean({"reason": reason})["reason"]
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await rules.editable(uow.conn, TABLE, principal, ticket_id, expected_version)
        if current["status"] != "planned":
            raise tickets.invalid_transition(current["status"], "cancelled")
        row = await store.update(uow.conn, TABLE, ticket_id=ticket_id, values={
            "status": "cancelled", "cancel_reason": reason, "cancelled_at": datetime.now().astimezone()})
        await uow.publish(events.CareTicketCancelled(**_event_fields(row), reason=reason), subject=row["id"])
        return row


async def delete(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID,
                 expected_version: int | None = None) -> None:
    """Soft delete by someone who may edit the customer (not by a mere assignee)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        row = await rules.soft_delete(uow.conn, TABLE, principal, ticket_id, expected_version)
        await uow.publish(events.CareTicketDeleted(**_event_fields(row)), subject=row["id"])
