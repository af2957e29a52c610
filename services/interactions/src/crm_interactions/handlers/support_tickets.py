"""Support tickets (I-7): pending → processing → done, pending | processing → cancelled. Each use
case is one transaction: rules, store writes, outbox rows (and the `support` timeline entry of a
status change)."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.unit_of_work import UnitOfWork

from crm_interactions import events
from crm_interactions.domain import tickets
from crm_interactions.domain.text import fold
from crm_interactions.handlers import ticket_rules as rules
from crm_interactions.handlers.timeline import SOURCE
from crm_interactions.store import tickets as store

TABLE = "support_tickets"
SCOPES = ("all", "mine", "my_unit")
FIELDS = ("channel", "handling_unit_id", "assignee_id", "title", "content", "handling_process",
          "response_to_customer", "customer_feedback", "contact_name", "contact_details")
# Handing the ticket on: only who may edit the customer (C-9), not its assignee.
REASSIGNING_FIELDS = ("assignee_id", "handling_unit_id")


def _event_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "customer_id": row["customer_id"], "status": row["status"],
            "assignee_id": row["assignee_id"], "version": row["version"]}


async def create(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID, title: str | None,
                 **fields: Any) -> dict[str, Any]:
    """A pending ticket; the assignee defaults to the caller."""
    values = tickets.clean({"title": title, **{k: v for k, v in fields.items() if k in FIELDS}})
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await rules.check_customer(uow.conn, principal, customer_id)
        problems = tickets.blank_problems(values, ("title",))
        problems += await rules.assignee_problems(uow.conn, principal, values.get("assignee_id"))
        if problems:
            raise tickets.unprocessable(problems)
        values["assignee_id"] = values.get("assignee_id") or principal.user_id
        row = await store.insert(uow.conn, TABLE, values={
            "id": uuid.uuid4(), "customer_id": customer_id, **values,
            "search_text": fold(values["title"], values.get("content")), "created_by": principal.user_id,
        })
        await uow.publish(events.SupportTicketCreated(**_event_fields(row), title=row["title"],
                                                      handling_unit_id=row["handling_unit_id"]), subject=row["id"])
        return row


async def get(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        return await rules.readable(conn, TABLE, principal, ticket_id)


async def list_tickets(pool: asyncpg.Pool, *, principal: Principal, scope: str = "all", status: str | None = None,
                       customer_id: uuid.UUID | None = None, q: str | None = None, limit: int = 50,
                       cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first; `q` searches title and content regardless of case and diacritics."""
    query = store.Query(principal)
    rules.scope_clause(scope, principal, query, unit_column="handling_unit_id")
    return await rules.page(pool, TABLE, query, status=status, customer_id=customer_id, q=q, sort="created_at",
                            limit=limit, cursor=cursor)


async def update(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID, expected_version: int | None,
                 changes: dict[str, Any]) -> dict[str, Any]:
    """Partial update in any status; `null` clears a field (title and assignee cannot be cleared).
    The assignee works the ticket; changing its assignee or handling unit needs the right to edit the customer."""
    values = tickets.clean({k: v for k, v in changes.items() if k in FIELDS})
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await rules.editable(uow.conn, TABLE, principal, ticket_id, expected_version,
                                       manages=tickets.reassigning(values, REASSIGNING_FIELDS))
        problems = tickets.blank_problems(values, ("title", "assignee_id"))
        if values.get("assignee_id") and values["assignee_id"] != current["assignee_id"]:
            problems += await rules.assignee_problems(uow.conn, principal, values["assignee_id"])
        if problems:
            raise tickets.unprocessable(problems)
        changed = [k for k in FIELDS if k in values and values[k] != current[k]]
        if not changed:
            return current
        writes = {k: values[k] for k in changed}
        if "title" in writes or "content" in writes:
            merged = {**current, **writes}
            writes["search_text"] = fold(merged["title"], merged["content"])
        row = await store.update(uow.conn, TABLE, ticket_id=ticket_id, values=writes)
        await uow.publish(events.SupportTicketUpdated(**_event_fields(row), changed=changed), subject=row["id"])
        return row


async def change_status(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID, status: str,
                        note: str | None = None, expected_version: int | None = None) -> dict[str, Any]:
    """Move along the allowed transitions (else Conflict `invalid_transition` with from and to); the
    customer's timeline gets a `support` entry with the note."""
    note = tickets.clean({"note": note})["note"]
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await rules.editable(uow.conn, TABLE, principal, ticket_id, expected_version)
        if status not in tickets.SUPPORT_TRANSITIONS.get(current["status"], frozenset()):
            raise tickets.invalid_transition(current["status"], status)
        row = await store.update(uow.conn, TABLE, ticket_id=ticket_id, values={"status": status})
        await uow.publish(events.SupportTicketStatusChanged(
            **_event_fields(row), from_=current["status"], to=status, note=note), subject=row["id"])
        await rules.record_on_timeline(uow, principal, customer_id=row["customer_id"], type_="support", note=note,
                                       data={"support_ticket_id": str(row["id"]), "title": row["title"],
                                             "from": current["status"], "to": status})
        return row


async def delete(pool: asyncpg.Pool, *, principal: Principal, ticket_id: uuid.UUID,
                 expected_version: int | None = None) -> None:
    """Soft delete by someone who may edit the customer (not by a mere assignee)."""
    async with UnitOfWork(pool, source=SOURCE) as uow:
        row = await rules.soft_delete(uow.conn, TABLE, principal, ticket_id, expected_version)
        await uow.publish(events.SupportTicketDeleted(**_event_fields(row)), subject=row["id"])
