"""SQL of jobs, assignments, their customers, the roster and round-robin positions."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.access import within_subtree_sql


def _within(column: str, reach: str | None) -> str:
    """SQL: `column` lies in `reach` ($1; None: everywhere). Two statements rather than
    `$1 IS NULL OR …`, so that a cached generic plan can still use the unit path index."""
    return "$1::text IS NULL" if reach is None else within_subtree_sql(column, "$1::text")


ASSIGNMENT_COLUMNS = ("a.id, a.job_id, a.assignee_id, a.assigned_by, a.text, a.direct, a.status, a.expires_at,"
                      " a.created_at, a.decided_at, a.decline_reason, a.strategy, a.redistributed_from")
# customers of an assignment per state, for its public view
COUNTS = ("(SELECT count(*) FILTER (WHERE state = 'open') FROM assignment_customers WHERE assignment_id = a.id)"
          " AS open_count,"
          " (SELECT count(*) FROM assignment_customers WHERE assignment_id = a.id) AS customer_count")


async def insert(conn: asyncpg.Connection, table: str, values: dict[str, Any]) -> asyncpg.Record:
    if table not in ("jobs", "assignments"):
        raise ValueError(table)
    names = list(values)
    return await conn.fetchrow(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})"
        " RETURNING *", *values.values())


async def get_job(conn: asyncpg.Connection, job_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM jobs WHERE id = $1", job_id)


async def page_jobs(conn: asyncpg.Connection, *, reach: str | None, limit: int,
                    after: tuple[datetime, uuid.UUID] | None) -> list[asyncpg.Record]:
    """Jobs created in the caller's unit subtree (`reach`; None: all), newest first."""
    return await conn.fetch(
        f"SELECT * FROM jobs WHERE {_within('unit_path', reach)}"
        " AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3)) ORDER BY created_at DESC, id DESC LIMIT $4",
        reach, after[0] if after else None, after[1] if after else None, limit)


async def add_customers(conn: asyncpg.Connection, *, rows: list[tuple[uuid.UUID, Any, Any, Any, Any]],
                        clock: tuple[datetime, datetime, datetime | None] | None = None) -> None:
    """(assignment id, customer id, previous owner id, its unit id, its unit path), all `open`. A
    customer already open in another assignment makes the COPY fail on
    `one_open_assignment_per_customer` (A-7). `clock`: the SLA's (start, deadline, warning time)
    of leads owned at once, written by the same COPY."""
    sla_columns = ["sla_started_at", "contact_due_at", "warn_at"] if clock else []
    extra = ("open", *(clock or ()))
    await conn.copy_records_to_table(
        "assignment_customers", columns=["assignment_id", "customer_id", "previous_owner_id",
                                         "previous_owner_unit_id", "previous_owner_unit_path", "state", *sla_columns],
        records=((*row, *extra) for row in rows))  # streamed: no second list of 100,000 tuples


async def open_assignments_of(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The open assignments holding any of `ids`, with those of `ids` each holds (in id order)."""
    rows = await conn.fetch(  # a join, as refs.live: 100,000 ids 0.05 s against 0.15-0.85 s for `= ANY($1)`
        "SELECT ac.assignment_id, array_agg(ac.customer_id ORDER BY ac.customer_id) AS customer_ids"
        " FROM unnest($1::uuid[]) AS i(id) JOIN assignment_customers ac ON ac.customer_id = i.id AND ac.state = 'open'"
        " GROUP BY ac.assignment_id ORDER BY ac.assignment_id", ids)
    return {r["assignment_id"]: r["customer_ids"] for r in rows}


async def get(conn: asyncpg.Connection, assignment_id: uuid.UUID, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {ASSIGNMENT_COLUMNS}, {COUNTS}, u.unit_path AS assignee_unit_path FROM assignments a"
        " LEFT JOIN directory_users u ON u.id = a.assignee_id"
        f" WHERE a.id = $1{' FOR UPDATE OF a' if lock else ''}", assignment_id)


async def open_of_assignee(conn: asyncpg.Connection, assignee_id: uuid.UUID) -> list[asyncpg.Record]:
    """The rep's assignments that still hold open customers, locked, oldest first."""
    return await _open_where(conn, "a.assignee_id = $1", assignee_id)


async def open_of_job(conn: asyncpg.Connection, job_id: uuid.UUID) -> list[asyncpg.Record]:
    """The job's assignments that still hold open customers, oldest first (locked, in a transaction)."""
    return await _open_where(conn, "a.job_id = $1", job_id)


async def _open_where(conn: asyncpg.Connection, condition: str, value: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {ASSIGNMENT_COLUMNS}, u.unit_path AS assignee_unit_path FROM assignments a"
        " LEFT JOIN directory_users u ON u.id = a.assignee_id"
        f" WHERE {condition} AND EXISTS (SELECT 1 FROM assignment_customers c"
        "   WHERE c.assignment_id = a.id AND c.state = 'open')"
        " ORDER BY a.created_at FOR UPDATE OF a", value)


async def page(conn: asyncpg.Connection, *, clauses: list[str], args: list[Any], limit: int,
               after: tuple[datetime, uuid.UUID] | None) -> list[asyncpg.Record]:
    """Assignments matching `clauses` (their arguments from $4 on), newest first."""
    where = " AND ".join(["($1::timestamptz IS NULL OR (a.created_at, a.id) < ($1, $2))", *clauses])
    return await conn.fetch(
        f"SELECT {ASSIGNMENT_COLUMNS}, {COUNTS} FROM assignments a LEFT JOIN directory_users u ON u.id = a.assignee_id"
        f" WHERE {where} ORDER BY a.created_at DESC, a.id DESC LIMIT $3",
        after[0] if after else None, after[1] if after else None, limit, *args)


async def customers_of(conn: asyncpg.Connection, assignment_id: uuid.UUID, *, state: str | None = "open",
                       ids: list[uuid.UUID] | None = None) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT customer_id, previous_owner_id, state, contact_due_at, warned_at, contacted_at, closed_at,"
        " recall_reason FROM assignment_customers WHERE assignment_id = $1"
        " AND ($2::text IS NULL OR state = $2) AND ($3::uuid[] IS NULL OR customer_id = ANY($3::uuid[]))"
        " ORDER BY customer_id", assignment_id, state, ids)


async def customer_in(conn: asyncpg.Connection, customer_id: uuid.UUID, assignment_ids: list[uuid.UUID]
                      ) -> dict[uuid.UUID, asyncpg.Record]:
    """One customer's row in each of `assignment_ids` (its state, deadline, contact), by assignment."""
    rows = await conn.fetch(
        "SELECT assignment_id, customer_id, previous_owner_id, state, contact_due_at, warned_at, contacted_at,"
        " closed_at, recall_reason FROM assignment_customers WHERE customer_id = $1"
        " AND assignment_id = ANY($2::uuid[])", customer_id, assignment_ids)
    return {r["assignment_id"]: r for r in rows}


async def close_customers(conn: asyncpg.Connection, assignment_id: uuid.UUID, *, state: str,
                          ids: list[uuid.UUID] | None = None, recall_reason: str | None = None
                          ) -> list[asyncpg.Record]:
    """Open customers of the assignment (all, or `ids`) become `state` (closed now; a recall says
    why: `recall_reason`); returns them."""
    return await conn.fetch(
        "UPDATE assignment_customers SET state = $2, closed_at = now(), recall_reason = $4"
        " WHERE assignment_id = $1 AND state = 'open'"
        " AND ($3::uuid[] IS NULL OR customer_id = ANY($3::uuid[]))"
        " RETURNING customer_id, previous_owner_id, previous_owner_unit_id, previous_owner_unit_path",
        assignment_id, state, ids, recall_reason)


async def decide(conn: asyncpg.Connection, assignment_id: uuid.UUID, status: str, *,
                 decline_reason: str | None = None) -> None:
    await conn.execute("UPDATE assignments SET status = $2, decided_at = now(), decline_reason = $3 WHERE id = $1",
                       assignment_id, status, decline_reason)


async def due_offers(conn: asyncpg.Connection, *, limit: int = 100) -> list[asyncpg.Record]:
    """Offers past their deadline, locked (another replica's sweeper skips them)."""
    return await conn.fetch(
        f"SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.status = 'offered' AND a.expires_at <= now()"
        " ORDER BY a.expires_at LIMIT $1 FOR UPDATE SKIP LOCKED", limit)


async def open_offers_of(conn: asyncpg.Connection, assignee_id: uuid.UUID) -> list[asyncpg.Record]:
    """A rep's offers still waiting for an answer, locked."""
    return await conn.fetch(
        f"SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.status = 'offered' AND a.assignee_id = $1"
        " ORDER BY a.created_at FOR UPDATE", assignee_id)


async def last_round_robin(conn: asyncpg.Connection, job_id: uuid.UUID) -> uuid.UUID | None:
    return await conn.fetchval("SELECT last_user FROM round_robin_positions WHERE job_id = $1 FOR UPDATE", job_id)


async def set_round_robin(conn: asyncpg.Connection, job_id: uuid.UUID, last_user: uuid.UUID) -> None:
    await conn.execute("INSERT INTO round_robin_positions (job_id, last_user) VALUES ($1, $2)"
                       " ON CONFLICT (job_id) DO UPDATE SET last_user = EXCLUDED.last_user", job_id, last_user)


ROSTER_COLUMNS = (
    "u.id AS user_id, u.username, u.full_name, u.unit_id, u.unit_path, COALESCE(s.weight, 1) AS weight, s.capacity,"
    " o.open_leads, CASE WHEN s.capacity IS NOT NULL THEN greatest(s.capacity - o.open_leads, 0) END AS room")
# A rep's open leads: a count per rep over their assignments' open customers (the partial index
# assignment_customers_open_by_assignment), so a roster costs what its reps hold, not what the
# company holds. Measured with 100,000 open leads among 20 reps (as many closed beside them), at
# load 6: the whole roster 13-41 ms when each assignment holds 5,000, 59-63 ms at 50, 196-382 ms
# at 5 (40,000 assignments to probe); two reps (a distribution's check) 2-25 ms. One grouped join
# over every open lead instead: 32-79, 73-109 and 90-160 ms - better only for the smallest
# assignments, and it counts the whole company's leads for a branch's roster.
OPEN_LEADS = (" CROSS JOIN LATERAL (SELECT count(*) AS open_leads FROM assignment_customers ac"
              " JOIN assignments x ON x.id = ac.assignment_id WHERE x.assignee_id = u.id AND ac.state = 'open') o")


async def roster(conn: asyncpg.Connection, *, reach: str | None, user_ids: list[uuid.UUID] | None = None
                 ) -> list[asyncpg.Record]:
    """Active sales users in `reach` (a unit path prefix; None: everyone), in username order."""
    return await conn.fetch(
        f"SELECT {ROSTER_COLUMNS} FROM directory_users u LEFT JOIN roster_settings s ON s.user_id = u.id{OPEN_LEADS}"
        " WHERE u.active AND 'sales' = ANY(u.roles)"
        f" AND {_within('u.unit_path', reach)}"
        " AND ($2::uuid[] IS NULL OR u.id = ANY($2::uuid[])) ORDER BY lower(u.username), u.id", reach, user_ids)


async def set_roster(conn: asyncpg.Connection, *, user_id: uuid.UUID, weight: int | None,
                     capacity: int | None, clear_capacity: bool) -> None:
    await conn.execute(
        "INSERT INTO roster_settings (user_id, weight, capacity) VALUES ($1, COALESCE($2, 1), $3)"
        " ON CONFLICT (user_id) DO UPDATE SET weight = COALESCE($2, roster_settings.weight),"
        " capacity = CASE WHEN $4 THEN NULL ELSE COALESCE($3, roster_settings.capacity) END, updated_at = now()",
        user_id, weight, capacity, clear_capacity)


async def next_event_sequence(conn: asyncpg.Connection) -> int:
    """The next number of `assignment_event_sequence` (migration 0006): drawn by a transaction after
    it has locked the rows it changes, so of two transactions moving one customer the later
    committer holds the larger number (the customers service's order, A-7)."""
    return await conn.fetchval("SELECT nextval('assignment_event_sequence')")
