"""SQL for attachments. An attachment hangs off a customer, a support ticket or a comment (its
parent) and is visible while the parent is: to whoever sees the customer (the timeline's
`VISIBLE`), and for a ticket's or a ticket comment's files also to that ticket's assignee. The
arguments are always $2..$5 (see `access.access_args`)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal

from crm_interactions.store.access import VISIBLE, access_args, assignee_of_ticket, manager_above

COLUMNS = ("t.id, t.customer_id, t.parent_type, t.parent_id, t.filename, t.content_type, t.size, t.sha256,"
           " t.uploaded_by, t.created_at")
FROM = "FROM attachments t JOIN customer_access a ON a.customer_id = t.customer_id"
_LIVE_TICKET = "EXISTS (SELECT 1 FROM support_tickets k WHERE k.id = t.parent_id AND k.deleted_at IS NULL{extra})"
_LIVE_COMMENT = "EXISTS (SELECT 1 FROM comments c WHERE c.id = t.parent_id AND c.deleted_at IS NULL{extra})"
PARENT_LIVE = (f"(t.parent_type IS NULL OR (t.parent_type = 'support_ticket' AND {_LIVE_TICKET.format(extra='')})"
               f" OR (t.parent_type = 'comment' AND {_LIVE_COMMENT.format(extra='')}))")
LIVE = f"t.deleted_at IS NULL AND NOT a.deleted AND {PARENT_LIVE}"
ATTACHMENT_VISIBLE = (
    f"({VISIBLE}"
    f" OR (t.parent_type = 'support_ticket' AND {_LIVE_TICKET.format(extra=' AND k.assignee_id = $3')})"
    f" OR (t.parent_type = 'comment' AND {_LIVE_COMMENT.format(extra=' AND ' + assignee_of_ticket('c'))}))")
# Who may delete a visible attachment: admin, its uploader, a manager above the customer's owner.
DELETABLE = f"($2 OR t.uploaded_by = $3 OR {manager_above('a.owner_unit_path')})"


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> dict[str, Any]:
    names = list(values)
    row = await conn.fetchrow(
        f"INSERT INTO attachments ({', '.join(names)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})"
        f" RETURNING {COLUMNS.replace('t.', '')}, storage_key", *values.values())
    return dict(row)


async def get_visible(conn: asyncpg.Connection, *, attachment_id: uuid.UUID, principal: Principal,
                      lock: bool = False) -> tuple[dict[str, Any], bool] | None:
    """The attachment (with its storage key) and whether the caller may delete it; None when it
    is gone or its customer invisible to the caller."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS}, t.storage_key, {DELETABLE} AS deletable {FROM}"
        f" WHERE t.id = $1 AND {LIVE} AND {ATTACHMENT_VISIBLE}{' FOR UPDATE OF t' if lock else ''}",
        attachment_id, *access_args(principal))
    if row is None:
        return None
    attachment = dict(row)
    return attachment, attachment.pop("deletable")


async def page(conn: asyncpg.Connection, *, customer_id: uuid.UUID | None = None, parent_id: uuid.UUID | None = None,
               principal: Principal, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[dict[str, Any]]:
    """The files of a customer (its tickets' and comments' included) or of one parent, newest
    first, keyset after `after`; LIMIT `limit`."""
    owner = "t.parent_id = $1" if parent_id is not None else "t.customer_id = $1"
    rows = await conn.fetch(
        f"SELECT {COLUMNS} {FROM} WHERE {owner} AND {LIVE} AND {ATTACHMENT_VISIBLE}"
        " AND ($6::timestamptz IS NULL OR (t.created_at, t.id) < ($6, $7))"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT $8",
        parent_id or customer_id, *access_args(principal), after[0] if after else None,
        after[1] if after else None, limit)
    return [dict(r) for r in rows]


async def mark_deleted(conn: asyncpg.Connection, *, attachment_id: uuid.UUID, by: uuid.UUID) -> None:
    await conn.execute("UPDATE attachments SET deleted_at = now(), deleted_by = $2 WHERE id = $1",
                       attachment_id, by)


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> list[str]:
    """A purge: the customers' attachment rows go (soft-deleted ones too); returns the storage keys
    of their files, for the caller to remove."""
    rows = await conn.fetch("DELETE FROM attachments WHERE customer_id = ANY($1::uuid[]) RETURNING storage_key", ids)
    return [row["storage_key"] for row in rows]
