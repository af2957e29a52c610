"""SQL of bulk actions (C-10): set-based chunks over a selection, soft delete, restore, purge.

A bulk action resolves its selection (the WHERE of `store.selection.customer_where`, which already
holds the caller's visibility) once into a WITH HOLD cursor of ids (physical order), then walks it
in chunks of ids (`FETCH`): each chunk is one statement that locks the chunk's rows still matching
the WHERE, updates those the caller may edit and that the action changes, and reports what it saw.
(Measured at 1M customers: re-running the filter per chunk cost ~40% of a 100k-row action; what
remains is the UPDATE itself — every index gets a new entry, labels and updated_at are indexed.) The caller runs each chunk in its own transaction with the
chunk's batch event, so a transaction never holds more than `CHUNK` rows.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from crmkit.db import reset_on_release

from crm_customers.store.customers import COLUMNS, Access, Params, as_customer, editable_sql

CHUNK = 5_000
SELECTION_CURSOR = "crm_bulk_selection"

# Every column that says something about the person or company: nulled (or emptied) by a purge.
PERSONAL_COLUMNS = (
    "name", "phone", "email", "birthday", "province_code", "province_name", "gender", "address", "source",
    "customer_type", "company_name", "tax_code", "position", "note", "organization_size", "founding_date",
    "industry", "description", "contact_person", "holder_id", "referred_by",
)
EMPTIED_COLUMNS = {"labels": "'{}'::text[]", "groups": "'{}'::uuid[]", "attributes": "'{}'::jsonb",
                   "viewer_ids": "'{}'::uuid[]"}
_PURGE_SET = ", ".join([f"{name} = NULL" for name in PERSONAL_COLUMNS]
                       + [f"{name} = {value}" for name, value in EMPTIED_COLUMNS.items()]
                       + ["purged_at = now()", "deleted_at = coalesce(deleted_at, now())",
                          "version = version + 1", "updated_at = now()"])


@dataclass
class ChunkResult:
    matched: int = 0
    skipped_not_editable: int = 0
    last_id: uuid.UUID | None = None
    ids: list[uuid.UUID] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)
    from_statuses: list[str] = field(default_factory=list)
    from_labels: list[list[str]] = field(default_factory=list)


def action_sql(action: str, values: dict[str, Any], params: Params) -> tuple[str, str]:
    """(SET list over the target alias `t`, "would change" condition over the row `c`)."""
    if action == "add_labels":  # taking off the labels of the same category (`displaced_labels`)
        labels, displaced = params.add(values["labels"]), params.add(values["displaced_labels"])
        return (f"labels = ARRAY(SELECT x FROM unnest(t.labels) WITH ORDINALITY u(x, n)"
                f" WHERE x <> ALL({displaced}::text[]) ORDER BY n)"
                f" || ARRAY(SELECT x FROM unnest({labels}::text[]) x WHERE x <> ALL(t.labels))",
                f"(NOT (c.labels @> {labels}::text[]) OR c.labels && {displaced}::text[])")
    if action == "remove_labels":
        labels = params.add(values["labels"])
        return (f"labels = ARRAY(SELECT x FROM unnest(t.labels) WITH ORDINALITY u(x, n)"
                f" WHERE x <> ALL({labels}::text[]) ORDER BY n)",
                f"c.labels && {labels}::text[]")
    if action == "add_to_group":
        group = params.add(values["group_id"])
        return f"groups = t.groups || {group}::uuid", f"NOT ({group}::uuid = ANY(c.groups))"
    if action == "remove_from_group":
        group = params.add(values["group_id"])
        return f"groups = array_remove(t.groups, {group}::uuid)", f"{group}::uuid = ANY(c.groups)"
    if action == "set_status":
        status = params.add(values["status"])
        return f"status = {status}", f"c.status <> {status}"
    if action == "delete":
        return (f"deleted_at = {params.add(values['deleted_at'])}, deleted_by = {params.add(values['deleted_by'])}",
                "TRUE")
    raise ValueError(f"unknown bulk action {action}")


def selection_sql(where: str, *, cursor: str = SELECTION_CURSOR) -> str:
    """The selection, resolved once: a WITH HOLD cursor over the ids of the rows `where` selects,
    in physical (ctid) order. Declared outside a transaction it is materialised when its implicit
    transaction commits (a tuplestore on the server, spilled to disk when large), so that each
    chunk reads the next ids with `FETCH` instead of running the filter again. Closed by the caller
    (and by the pool's reset, `crmkit.db.reset_on_release`)."""
    return (f"DECLARE {cursor} NO SCROLL CURSOR WITH HOLD FOR"
            f" SELECT c.id FROM customers c WHERE {where} ORDER BY c.ctid")


async def open_selection(conn: asyncpg.Connection, *, where: str, params: Params,
                         cursor: str = SELECTION_CURSOR) -> None:
    """Resolve the selection once (`selection_sql`); outside a transaction. The pool closes the
    cursor with the connection's reset if the caller could not."""
    reset_on_release(conn)
    await conn.execute(selection_sql(where, cursor=cursor), *params)


async def close_selection(conn: asyncpg.Connection, *, cursor: str = SELECTION_CURSOR) -> None:
    await conn.execute(f"CLOSE {cursor}")


async def next_ids(conn: asyncpg.Connection, limit: int, *, cursor: str = SELECTION_CURSOR) -> list[uuid.UUID]:
    return [r[0] for r in await conn.fetch(f"FETCH FORWARD {int(limit)} FROM {cursor}")]


async def apply_chunk(conn: asyncpg.Connection, *, where: str, params: Params, access: Access, action: str,
                      values: dict[str, Any], ids: list[uuid.UUID]) -> ChunkResult:
    """Lock the rows `ids` of the selection that still match `where` (visibility and filter are
    checked again on the locked rows: a row that left the caller's reach meanwhile is not
    touched) and change the editable ones the action changes, in one statement. Call inside a
    transaction."""
    params = Params(params)
    editable = editable_sql(access, params, alias="c")
    set_sql, change_sql = action_sql(action, values, params)
    chunk = params.add(ids)
    row = await conn.fetchrow(
        f"WITH sel AS MATERIALIZED ("
        f"   SELECT c.id, c.status AS old_status, c.labels AS old_labels, coalesce({editable}, false) AS editable,"
        f"          coalesce({change_sql}, false) AS changes"
        f"   FROM customers c WHERE c.id = ANY({chunk}::uuid[]) AND {where} FOR UPDATE OF c"
        f" ), upd AS ("
        f"   UPDATE customers t SET {set_sql}, version = t.version + 1, updated_at = now()"
        f"   FROM sel WHERE t.id = sel.id AND sel.editable AND sel.changes"
        f"   RETURNING t.id, t.version, sel.old_status, sel.old_labels"
        f" ), ordered AS (SELECT * FROM upd ORDER BY id)"
        f" SELECT (SELECT count(*) FROM sel) AS matched,"
        f"        (SELECT count(*) FROM sel WHERE NOT sel.editable) AS skipped,"
        f"        ARRAY(SELECT id FROM ordered) AS ids, ARRAY(SELECT version FROM ordered) AS versions,"
        f"        ARRAY(SELECT old_status FROM ordered) AS from_statuses,"
        f"        (SELECT coalesce(jsonb_agg(old_labels ORDER BY id), '[]') FROM upd) AS from_labels",
        *params)
    return ChunkResult(matched=row["matched"], skipped_not_editable=row["skipped"], last_id=None,
                       ids=list(row["ids"]), versions=list(row["versions"]),
                       from_statuses=list(row["from_statuses"]), from_labels=row["from_labels"])


# One customer, whatever its state (admins: restore, purge)


async def lock_any(conn: asyncpg.Connection, customer_id: uuid.UUID) -> asyncpg.Record | None:
    """The row (live, deleted or purged) locked for update, with its deletion columns."""
    return await conn.fetchrow(
        f"SELECT {COLUMNS}, deleted_at, deleted_by, purged_at FROM customers WHERE id = $1 FOR UPDATE", customer_id)


async def restore(conn: asyncpg.Connection, customer_id: uuid.UUID) -> dict[str, Any]:
    return as_customer(await conn.fetchrow(
        f"UPDATE customers SET deleted_at = NULL, deleted_by = NULL, version = version + 1, updated_at = now()"
        f" WHERE id = $1 RETURNING {COLUMNS}", customer_id))


async def purge(conn: asyncpg.Connection, customer_id: uuid.UUID) -> asyncpg.Record:
    """Erase the personal data of one customer (the row stays as a tombstone)."""
    return await conn.fetchrow(
        f"UPDATE customers SET {_PURGE_SET} WHERE id = $1 AND purged_at IS NULL"
        f" RETURNING id, version, deleted_at, purged_at", customer_id)


async def purge_deleted_before(conn: asyncpg.Connection, *, before: datetime, limit: int) -> list[asyncpg.Record]:
    """Purge up to `limit` customers deleted before `before`, oldest first; rows another replica is
    purging are skipped (SKIP LOCKED). Call inside a transaction."""
    return await conn.fetch(
        f"WITH due AS (SELECT id FROM customers WHERE deleted_at < $1 AND purged_at IS NULL"
        f"             ORDER BY deleted_at LIMIT {int(limit)} FOR UPDATE SKIP LOCKED)"
        f" UPDATE customers SET {_PURGE_SET} FROM due WHERE customers.id = due.id"
        f" RETURNING customers.id, customers.purged_at", before)


async def tombstone(conn: asyncpg.Connection, customer_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT id, purged_at FROM customers WHERE id = $1 AND purged_at IS NOT NULL",
                               customer_id)
