"""SQL for care and support tickets. Every query joins the customer-visibility read model: a ticket
is visible to its assignee and to whoever sees its customer (`TICKET_VISIBLE`, arguments always
$2..$5, see `access.access_args`) — an assignee who cannot see the customer can still do the work they
were given, without reaching the customer record itself."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal

from crm_interactions.store import access
from crm_interactions.store.access import MANAGEABLE, VISIBLE, access_args

TABLES = ("care_tickets", "support_tickets")
FROM = "FROM {table} t JOIN customer_access a ON a.customer_id = t.customer_id"
LIVE = "t.deleted_at IS NULL AND NOT a.deleted"
TICKET_VISIBLE = f"(t.assignee_id = $3 OR {VISIBLE})"
# Who may reassign or delete a visible ticket is who may edit its customer (access.MANAGEABLE);
# who may work on it (status, result, notes, files): those and its assignee.
EDITABLE = f"(t.assignee_id = $3 OR {MANAGEABLE})"


def _table(table: str) -> str:
    if table not in TABLES:
        raise ValueError(table)
    return table


async def get_visible(conn: asyncpg.Connection, table: str, *, ticket_id: uuid.UUID, principal: Principal,
                      lock: bool = False) -> tuple[dict[str, Any], bool, bool] | None:
    """The ticket, whether the caller may work on it and whether they may reassign or delete it;
    None when it is gone or its customer invisible."""
    row = await conn.fetchrow(
        f"SELECT t.*, {EDITABLE} AS editable, {MANAGEABLE} AS manageable {FROM.format(table=_table(table))}"
        f" WHERE t.id = $1 AND {LIVE} AND {TICKET_VISIBLE}{' FOR UPDATE OF t' if lock else ''}",
        ticket_id, *access_args(principal))
    if row is None:
        return None
    ticket = dict(row)
    return ticket, ticket.pop("editable"), ticket.pop("manageable")


async def insert(conn: asyncpg.Connection, table: str, *, values: dict[str, Any]) -> dict[str, Any]:
    names = list(values)
    row = await conn.fetchrow(
        f"INSERT INTO {_table(table)} ({', '.join(names)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) RETURNING *",
        *values.values())
    return dict(row)


async def update(conn: asyncpg.Connection, table: str, *, ticket_id: uuid.UUID,
                 values: dict[str, Any]) -> dict[str, Any]:
    """Set `values` (column names come from code, never from input), version + 1."""
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(values, start=2))
    row = await conn.fetchrow(
        f"UPDATE {_table(table)} SET {sets + ', ' if sets else ''}version = version + 1, updated_at = now()"
        " WHERE id = $1 RETURNING *", ticket_id, *values.values())
    return dict(row)


class Query(access.Query):
    """WHERE clauses and arguments of a list query; $1 is the page size, $2..$5 the caller's reach."""

    BASE_CLAUSES = (LIVE, TICKET_VISIBLE)


async def page(conn: asyncpg.Connection, table: str, query: Query, *, sort: str, limit: int,
               after: tuple[datetime, uuid.UUID] | None) -> list[dict[str, Any]]:
    """Newest first by (`sort`, id), keyset after `after`; LIMIT `limit`."""
    if sort not in ("planned_at", "created_at"):
        raise ValueError(sort)
    if after is not None:
        query.where(f"(t.{sort}, t.id) < ({query.add(after[0])}::timestamptz, {query.add(after[1])}::uuid)")
    query.args[0] = limit
    rows = await conn.fetch(
        f"SELECT t.* {FROM.format(table=_table(table))} WHERE {' AND '.join(query.clauses)}"
        f" ORDER BY t.{sort} DESC, t.id DESC LIMIT $1", *query.args)
    return [dict(r) for r in rows]


async def directory_user(conn: asyncpg.Connection, user_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT id, unit_id, unit_path, active FROM directory_users WHERE id = $1", user_id)


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """A purge: the customers' tickets keep their state, not what they said."""
    await conn.execute("UPDATE care_tickets SET note = NULL, result = NULL, cancel_reason = NULL, search_text = ''"
                       " WHERE customer_id = ANY($1::uuid[])", ids)
    await conn.execute(
        "UPDATE support_tickets SET title = '', content = NULL, handling_process = NULL,"
        " response_to_customer = NULL, customer_feedback = NULL, contact_name = NULL, contact_details = NULL,"
        " search_text = '' WHERE customer_id = ANY($1::uuid[])", ids)
