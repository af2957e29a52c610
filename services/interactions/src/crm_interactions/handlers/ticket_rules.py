"""What care and support tickets share: the caller's access to a ticket, assignees from the user
directory, list scopes and cursors, the timeline entry of a status change (their pure rules are
domain/tickets.py)."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.access import within_subtree_sql
from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Forbidden, NotFound
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_interactions import events
from crm_interactions.domain.text import fold
from crm_interactions.domain.tickets import always, never
from crm_interactions.handlers import fresh_access
from crm_interactions.store import access
from crm_interactions.store import tickets as store
from crm_interactions.store import timeline as timeline_store


async def readable(conn: asyncpg.Connection, table: str, principal: Principal, ticket_id: uuid.UUID) -> dict[str, Any]:
    found = await store.get_visible(conn, table, ticket_id=ticket_id, principal=principal)
    if found is None:
        raise NotFound()
    return found[0]


async def editable(conn: asyncpg.Connection, table: str, principal: Principal, ticket_id: uuid.UUID,
                   expected_version: int | None, *, manages: Callable[[dict[str, Any]], bool] = never
                   ) -> dict[str, Any]:
    """The locked ticket the caller may work on at the version they read: else NotFound, Forbidden or VersionConflict.
    When `manages(current)` (a reassignment, a deletion) the caller must also be one who may edit
    the customer (C-9): an assignee works their ticket but does not hand it on (Forbidden
    `ticket_not_manageable`)."""
    found = await store.get_visible(conn, table, ticket_id=ticket_id, principal=principal, lock=True)
    if found is None:
        raise NotFound()
    current, may_edit, may_manage = found
    if not may_edit:
        raise Forbidden("not_editable")
    if not may_manage and manages(current):
        raise Forbidden("ticket_not_manageable")
    check_version(current["version"], expected_version)
    return current


async def may_edit_customer(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID) -> bool:
    return await access.customer_editable(conn, customer_id=customer_id, principal=principal)


async def check_customer(conn: asyncpg.Connection, principal: Principal, customer_id: uuid.UUID) -> None:
    """A ticket is created only for a customer the caller may see (NotFound otherwise, as for reads)."""
    if not await fresh_access.customer_visible(conn, principal, customer_id):
        raise NotFound()


async def assignee_problems(conn: asyncpg.Connection, principal: Principal, assignee_id: uuid.UUID | None,
                            field: str = "assignee_id") -> list[FieldError]:
    """The caller may always assign themselves; anyone else must be an active user of the directory."""
    if assignee_id is None or assignee_id == principal.user_id:
        return []
    user = await store.directory_user(conn, assignee_id)
    return [] if user is not None and user["active"] else [FieldError(field, "unknown_user")]


def scope_clause(scope: str, principal: Principal, query: store.Query, *, unit_column: str | None = None) -> None:
    """mine: assigned to me · my_unit: assigned to someone in my unit's subtree (or, for support
    tickets, handled by my unit) · all: every ticket I may see."""
    if scope == "mine":
        query.where(f"t.assignee_id = {query.add(principal.user_id)}")
    elif scope == "my_unit":
        path = principal.unit_path if principal.kind == "user" and principal.unit_path.strip("/") else None
        if path is None:
            query.where("FALSE")
            return
        path = path if path.endswith("/") else path + "/"
        members = (f"EXISTS (SELECT 1 FROM directory_users u WHERE u.id = t.assignee_id"
                   f" AND {within_subtree_sql('u.unit_path', query.add(path))})")
        if unit_column and principal.unit_id:
            members = f"({members} OR t.{unit_column} = {query.add(principal.unit_id)})"
        query.where(members)


async def page(pool: asyncpg.Pool, table: str, query: store.Query, *, status: str | None,
               customer_id: uuid.UUID | None, q: str | None, sort: str, limit: int,
               cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """The filters every ticket list shares, then one keyset page newest `sort` first."""
    if status:
        query.where(f"t.status = {query.add(status)}")
    if customer_id:
        query.where(f"t.customer_id = {query.add(customer_id)}")
    if q and (folded := fold(q)):
        query.where(f"t.search_text LIKE '%' || {query.add(folded)} || '%'")
    async with pool.acquire() as conn:
        rows = await store.page(conn, table, query, sort=sort, limit=limit + 1, after=time_id_after(cursor))
    return page_of(rows, limit, lambda r: time_id_cursor(r, sort))


async def record_on_timeline(uow: UnitOfWork, principal: Principal, *, customer_id: uuid.UUID,
                             type_: str, note: str | None, data: dict[str, Any]) -> None:
    """A timeline entry for a ticket's status change, and its `interaction.recorded` event."""
    row = await timeline_store.insert_entry(uow.conn, entry={
        "id": timeline_store.new_entry_id(), "customer_id": customer_id, "type": type_,
        "occurred_at": datetime.now(UTC),
        "actor_id": principal.user_id, "note": note, "data": data,
    })
    if row is not None:
        await uow.publish(events.InteractionRecorded(**dict(row)), subject=customer_id)


async def soft_delete(conn: asyncpg.Connection, table: str, principal: Principal, ticket_id: uuid.UUID,
                      expected_version: int | None) -> dict[str, Any]:
    """By someone who may edit the customer (not by a mere assignee)."""
    await editable(conn, table, principal, ticket_id, expected_version, manages=always)
    return await store.update(conn, table, ticket_id=ticket_id, values={"deleted_at": datetime.now().astimezone()})
