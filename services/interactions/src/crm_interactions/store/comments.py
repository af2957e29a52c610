"""SQL for comments, their mentions and per-user read state. Every query joins the
customer-visibility read model: a comment is visible to whoever sees its customer (the timeline's
`VISIBLE`) and, when it was written on a ticket, to that ticket's assignee (`COMMENT_VISIBLE`);
the arguments are always $2..$5 (see `access.access_args`)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal

from crm_interactions.store import access
from crm_interactions.store.access import (
    TICKET_TABLES,
    VISIBLE,
    VISIBLE_TO_DIRECTORY_USER,
    access_args,
    assignee_of_ticket,
    manager_above,
)

FROM = "FROM comments t JOIN customer_access a ON a.customer_id = t.customer_id"
ASSIGNEE_OF_TICKET = assignee_of_ticket("t")
COMMENT_VISIBLE = f"({VISIBLE} OR {ASSIGNEE_OF_TICKET})"
# Who may delete a visible comment: admin, its author, a manager above the customer's owner.
DELETABLE = f"($2 OR t.author_id = $3 OR {manager_above('a.owner_unit_path')})"
# What a comment shows besides its columns: its mentions, whether the caller ($3) read it, and
# its files.
DETAILS = (
    "COALESCE((SELECT jsonb_agg(jsonb_build_object('user_id', m.user_id, 'username', m.username,"
    "   'acknowledged_at', m.acknowledged_at) ORDER BY m.created_at, m.username)"
    "   FROM comment_mentions m WHERE m.comment_id = t.id), '[]'::jsonb) AS mentions,"
    " EXISTS (SELECT 1 FROM comment_reads r WHERE r.comment_id = t.id AND r.user_id = $3) AS read,"
    " COALESCE((SELECT jsonb_agg(jsonb_build_object('id', f.id, 'filename', f.filename,"
    "   'content_type', f.content_type, 'size', f.size) ORDER BY f.created_at, f.id)"
    "   FROM attachments f WHERE f.parent_id = t.id AND f.parent_type = 'comment' AND f.deleted_at IS NULL),"
    "   '[]'::jsonb) AS attachments")


async def get_visible(conn: asyncpg.Connection, *, comment_id: uuid.UUID, principal: Principal,
                      lock: bool = False, include_deleted: bool = False) -> tuple[dict[str, Any], bool] | None:
    """The comment (with mentions and read state) and whether the caller may delete it; None when
    it is gone or its customer invisible."""
    live = "" if include_deleted else " AND t.deleted_at IS NULL"
    row = await conn.fetchrow(
        f"SELECT t.*, {DETAILS}, {DELETABLE} AS deletable {FROM}"
        f" WHERE t.id = $1 AND NOT a.deleted AND {COMMENT_VISIBLE}{live}{' FOR UPDATE OF t' if lock else ''}",
        comment_id, *access_args(principal))
    if row is None:
        return None
    comment = dict(row)
    return comment, comment.pop("deletable")


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> None:
    names = list(values)
    await conn.execute(
        f"INSERT INTO comments ({', '.join(names)}) VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})",
        *values.values())


async def update(conn: asyncpg.Connection, *, comment_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Set `values` (column names come from code, never from input), version + 1."""
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(values, start=2))
    await conn.execute(f"UPDATE comments SET {sets}, version = version + 1, updated_at = now() WHERE id = $1",
                       comment_id, *values.values())


async def users_by_username(conn: asyncpg.Connection, usernames: list[str]) -> list[asyncpg.Record]:
    """Active users of the directory with these usernames (case-insensitive); unknown ones are absent."""
    if not usernames:
        return []
    return await conn.fetch(
        "SELECT DISTINCT ON (lower(username)) id, username FROM directory_users"
        " WHERE lower(username) = ANY($1::text[]) AND active ORDER BY lower(username), changed_at DESC",
        usernames)


async def who_may_see(conn: asyncpg.Connection, *, customer_id: uuid.UUID, user_ids: list[uuid.UUID],
                      ticket_assignee_id: uuid.UUID | None) -> set[uuid.UUID]:
    """Those of `user_ids` who may see a comment on the customer (or, with `ticket_assignee_id`, on
    one of its tickets: its assignee too), by the directory's roles and units."""
    if not user_ids:
        return set()
    rows = await conn.fetch(
        "SELECT u.id FROM directory_users u JOIN customer_access a ON a.customer_id = $1"
        f" WHERE u.id = ANY($2::uuid[]) AND u.active AND NOT a.deleted"
        f" AND ({VISIBLE_TO_DIRECTORY_USER} OR u.id = $3)", customer_id, user_ids, ticket_assignee_id)
    return {r["id"] for r in rows}


async def ticket_assignee(conn: asyncpg.Connection, *, ticket_type: str | None,
                          ticket_id: uuid.UUID | None) -> uuid.UUID | None:
    if ticket_id is None or ticket_type not in TICKET_TABLES:
        return None
    return await conn.fetchval(f"SELECT assignee_id FROM {TICKET_TABLES[ticket_type]} WHERE id = $1", ticket_id)


async def add_mentions(conn: asyncpg.Connection, *, comment_id: uuid.UUID,
                       users: list[asyncpg.Record]) -> list[uuid.UUID]:
    """Mention these users once; returns the users newly mentioned."""
    rows = await conn.fetch(
        "INSERT INTO comment_mentions (comment_id, user_id, username)"
        " SELECT $1, u.id, u.username FROM unnest($2::uuid[], $3::text[]) AS u(id, username)"
        " ON CONFLICT DO NOTHING RETURNING user_id",
        comment_id, [u["id"] for u in users], [u["username"] for u in users])
    return [r["user_id"] for r in rows]


async def drop_unacknowledged_mentions(conn: asyncpg.Connection, *, comment_id: uuid.UUID,
                                       keep: list[uuid.UUID]) -> None:
    """After an edit: mentions no longer in the text go, unless already acknowledged."""
    await conn.execute("DELETE FROM comment_mentions WHERE comment_id = $1 AND acknowledged_at IS NULL"
                       " AND NOT user_id = ANY($2::uuid[])", comment_id, keep)


async def acknowledge(conn: asyncpg.Connection, *, comment_id: uuid.UUID, user_id: uuid.UUID
                      ) -> tuple[datetime, bool] | None:
    """(acknowledged_at, newly) for a mentioned user; None when the user is not mentioned."""
    row = await conn.fetchrow(
        "UPDATE comment_mentions SET acknowledged_at = COALESCE(acknowledged_at, now())"
        " WHERE comment_id = $1 AND user_id = $2"
        " RETURNING acknowledged_at, acknowledged_at = now() AS newly", comment_id, user_id)
    return (row["acknowledged_at"], row["newly"]) if row else None


async def mark_read(conn: asyncpg.Connection, *, comment_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await conn.execute("INSERT INTO comment_reads (comment_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                       comment_id, user_id)


class Query(access.Query):
    """WHERE clauses and arguments of a list query; $1 is the page size, $2..$5 the caller's reach."""

    BASE_CLAUSES = ("NOT a.deleted", COMMENT_VISIBLE)


async def page(conn: asyncpg.Connection, query: Query, *, limit: int,
               after: tuple[datetime, uuid.UUID] | None) -> list[dict[str, Any]]:
    """Newest first by (created_at, id), keyset after `after`; LIMIT `limit`."""
    if after is not None:
        query.where(f"(t.created_at, t.id) < ({query.add(after[0])}::timestamptz, {query.add(after[1])}::uuid)")
    query.args[0] = limit
    rows = await conn.fetch(
        f"SELECT t.*, {DETAILS} {FROM} WHERE {' AND '.join(query.clauses)}"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT $1", *query.args)
    return [dict(r) for r in rows]


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    await conn.execute("UPDATE comments SET text = '', hashtags = '{}' WHERE customer_id = ANY($1::uuid[])", ids)
