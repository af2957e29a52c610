"""The customer-visibility read model (`customer_access`, kept from the customers service's events)
and the SQL fragments every other store joins it with. A leaf: the other stores import this
module and nothing else of store/.

The caller's reach is always the positional arguments $2..$5 (`access_args`): $2 is admin, $3
the user id, $4 a manager (people only), $5 the manager's unit path. The read model is `a`.
"""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.access import within_subtree_sql
from crmkit.auth import Principal


def visible_to(is_admin: str, user_id: str, is_manager: str, unit_path: str) -> str:
    """SQL: the customer `a` is visible to a user, given as SQL expressions. Same rule as the
    customers service: admin, owner, holder, viewer, or manager above the owner's unit."""
    return (f"({is_admin} OR a.owner_id = {user_id} OR a.holder_id = {user_id} OR {user_id} = ANY(a.viewer_ids)"
            f" OR ({is_manager} AND {within_subtree_sql('a.owner_unit_path', unit_path)}))")


# ... to the caller ($2..$5)
VISIBLE = visible_to("$2", "$3", "$4", "$5")
# ... to the directory user `u` (someone mentioned in a comment)
VISIBLE_TO_DIRECTORY_USER = visible_to("'admin' = ANY(u.roles)", "u.id", "'manager' = ANY(u.roles)",
                                       "COALESCE(u.unit_path, '')")


def manager_above(unit_column: str) -> str:
    """SQL: the caller is a manager whose subtree holds the unit path `unit_column`."""
    return f"($4 AND {within_subtree_sql(unit_column, '$5')})"


# Who may edit the customer (C-9): admin, the customer's owner, a manager above the owner.
MANAGEABLE = f"($2 OR a.owner_id = $3 OR {manager_above('a.owner_unit_path')})"

TICKET_TABLES = {"care_ticket": "care_tickets", "support_ticket": "support_tickets"}


def assignee_of_ticket(alias: str) -> str:
    """SQL: the caller ($3) is the assignee of the live ticket the comment `alias` was written on."""
    return "(" + " OR ".join(
        f"({alias}.ticket_type = '{kind}' AND EXISTS (SELECT 1 FROM {table} k"
        f" WHERE k.id = {alias}.ticket_id AND k.assignee_id = $3 AND k.deleted_at IS NULL))"
        for kind, table in TICKET_TABLES.items()) + ")"


def access_args(principal: Principal) -> list[Any]:
    """$2..$5 of the fragments above."""
    return [principal.is_admin, principal.user_id, principal.is_manager and principal.kind == "user",
            principal.unit_path or ""]


class Query:
    """WHERE clauses and arguments of a list query; $1 is the page size, $2..$5 the caller's reach."""

    BASE_CLAUSES: tuple[str, ...] = ()

    def __init__(self, principal: Principal) -> None:
        self.args: list[Any] = [None, *access_args(principal)]
        self.clauses: list[str] = list(self.BASE_CLAUSES)

    def add(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"

    def where(self, clause: str) -> None:
        self.clauses.append(clause)


async def customer_visible(conn: asyncpg.Connection, *, customer_id: uuid.UUID, principal: Principal) -> bool:
    return bool(await conn.fetchval(
        f"SELECT true FROM customer_access a WHERE a.customer_id = $1 AND NOT a.deleted AND {VISIBLE}",
        customer_id, *access_args(principal)))


async def customer_editable(conn: asyncpg.Connection, *, customer_id: uuid.UUID, principal: Principal) -> bool:
    """Whether the caller may edit the customer (C-9), and so share it with more viewers."""
    return bool(await conn.fetchval(
        f"SELECT {MANAGEABLE} FROM customer_access a WHERE a.customer_id = $1 AND NOT a.deleted",
        customer_id, *access_args(principal)))


async def lock_customer(conn: asyncpg.Connection, *, customer_id: uuid.UUID) -> bool:
    """Hold the customer's access row until the transaction ends (a purge or delete arriving
    meanwhile waits, then finds what this transaction wrote); False when it is deleted or purged."""
    return bool(await conn.fetchval(
        "SELECT true FROM customer_access WHERE customer_id = $1 AND NOT deleted FOR SHARE", customer_id))


# The read model's writes, from the customers service's events.

async def upsert_access(conn: asyncpg.Connection, *, customer_id: uuid.UUID, owner_id: uuid.UUID | None,
                        owner_unit_path: str | None, holder_id: uuid.UUID | None, viewer_ids: list[uuid.UUID],
                        version: int) -> None:
    """Newer versions win, so events applied out of order never roll the model back."""
    await conn.execute(
        "INSERT INTO customer_access (customer_id, owner_id, owner_unit_path, holder_id, viewer_ids, version)"
        " VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (customer_id) DO UPDATE SET owner_id = EXCLUDED.owner_id,"
        "   owner_unit_path = EXCLUDED.owner_unit_path, holder_id = EXCLUDED.holder_id,"
        "   viewer_ids = EXCLUDED.viewer_ids, version = EXCLUDED.version"
        " WHERE customer_access.version < EXCLUDED.version",
        customer_id, owner_id, owner_unit_path, holder_id, viewer_ids, version,
    )


async def upsert_owners(conn: asyncpg.Connection, *, ids: list[uuid.UUID], versions: list[int], owner_ids: list[uuid.UUID | None],
                        owner_unit_paths: list[str | None], holder_ids: list[uuid.UUID | None] | None = None) -> None:
    """Owners (and holders, when given) of many customers from one batch event: unknown customers
    enter the model, a newer version moves owner and holder, viewers stay. COPY, because asyncpg
    encodes a 5,000-element array parameter element by element in Python."""
    await conn.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS incoming_access (customer_id uuid, owner_id uuid, owner_unit_path text,"
        " holder_id uuid, version integer) ON COMMIT DELETE ROWS")
    holders = holder_ids if holder_ids is not None else [None] * len(ids)
    await conn.copy_records_to_table("incoming_access",
                                     records=zip(ids, owner_ids, owner_unit_paths, holders, versions))
    await conn.execute(
        "INSERT INTO customer_access (customer_id, owner_id, owner_unit_path, holder_id, version)"
        " SELECT * FROM incoming_access ORDER BY customer_id"
        " ON CONFLICT (customer_id) DO UPDATE SET owner_id = EXCLUDED.owner_id,"
        "   owner_unit_path = EXCLUDED.owner_unit_path, version = EXCLUDED.version,"
        "   holder_id = CASE WHEN $1 THEN EXCLUDED.holder_id ELSE customer_access.holder_id END"
        " WHERE customer_access.version < EXCLUDED.version AND NOT customer_access.purged", holder_ids is not None)


async def mark_deleted(conn: asyncpg.Connection, *, ids: list[uuid.UUID], versions: list[int]) -> None:
    await conn.execute(
        "UPDATE customer_access a SET deleted = true, version = v.version"
        " FROM unnest($1::uuid[], $2::int[]) AS v(customer_id, version)"
        " WHERE a.customer_id = v.customer_id AND a.version < v.version", ids, versions,
    )


async def mark_restored(conn: asyncpg.Connection, *, customer_id: uuid.UUID, version: int) -> None:
    await conn.execute("UPDATE customer_access SET deleted = false WHERE customer_id = $1 AND version <= $2"
                       " AND NOT purged", customer_id, version)


async def mark_purged(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """Purged for good: no version can bring these customers back, and who saw them is forgotten."""
    await conn.execute(
        "INSERT INTO customer_access (customer_id, deleted, purged, version)"
        " SELECT unnest($1::uuid[]), true, true, 2147483647"
        " ON CONFLICT (customer_id) DO UPDATE SET deleted = true, purged = true, owner_id = NULL,"
        "   holder_id = NULL, viewer_ids = '{}', version = 2147483647", ids,
    )
