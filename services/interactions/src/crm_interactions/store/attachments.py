"""SQL for attachments. Reads join the customer-visibility read model with the timeline's
`VISIBLE` predicate, whose arguments are always $2..$5 (see `tickets.access_args`)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crm_interactions import storage
from crm_interactions.store.tickets import access_args
from crm_interactions.store.timeline import VISIBLE

COLUMNS = "t.id, t.customer_id, t.filename, t.content_type, t.size, t.sha256, t.uploaded_by, t.created_at"
FROM = "FROM attachments t JOIN customer_access a ON a.customer_id = t.customer_id"
LIVE = "t.deleted_at IS NULL AND NOT a.deleted"
# Who may delete a visible attachment: admin, its uploader, a manager above the customer's owner.
DELETABLE = "($2 OR t.uploaded_by = $3 OR ($4 AND $5 <> '' AND a.owner_unit_path LIKE $5 || '%'))"


async def lock_visible_customer(conn: asyncpg.Connection, *, customer_id: uuid.UUID, principal: Principal) -> bool:
    """Whether the caller may see the customer, holding its access row until the transaction ends
    (a purge or delete arriving meanwhile waits, then finds the new attachment)."""
    return bool(await conn.fetchval(
        f"SELECT true FROM customer_access a WHERE a.customer_id = $1 AND NOT a.deleted AND {VISIBLE}"
        " FOR SHARE", customer_id, *access_args(principal)))


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
        f" WHERE t.id = $1 AND {LIVE} AND {VISIBLE}{' FOR UPDATE OF t' if lock else ''}",
        attachment_id, *access_args(principal))
    if row is None:
        return None
    attachment = dict(row)
    return attachment, attachment.pop("deletable")


async def page(conn: asyncpg.Connection, *, customer_id: uuid.UUID, principal: Principal, limit: int,
               after: tuple[datetime, uuid.UUID] | None) -> list[dict[str, Any]]:
    """The customer's attachments, newest first, keyset after `after`; LIMIT `limit`."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} {FROM} WHERE t.customer_id = $1 AND {LIVE} AND {VISIBLE}"
        " AND ($6::timestamptz IS NULL OR (t.created_at, t.id) < ($6, $7))"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT $8",
        customer_id, *access_args(principal), after[0] if after else None, after[1] if after else None, limit)
    return [dict(r) for r in rows]


async def mark_deleted(conn: asyncpg.Connection, *, attachment_id: uuid.UUID, by: uuid.UUID) -> None:
    await conn.execute("UPDATE attachments SET deleted_at = now(), deleted_by = $2 WHERE id = $1",
                       attachment_id, by)


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """A purge: the customers' attachments go, rows and files (soft-deleted ones too). The files
    are removed before the transaction commits; should it roll back, the redelivered purge
    removes the rows that remain (their files already read as gone: 404)."""
    keys = await conn.fetch("DELETE FROM attachments WHERE customer_id = ANY($1::uuid[]) RETURNING storage_key", ids)
    if keys:
        files = storage.current()
        for row in keys:
            await files.delete(row["storage_key"])
