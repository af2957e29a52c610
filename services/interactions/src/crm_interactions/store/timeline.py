"""SQL for timeline entries and the customer-visibility read model."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from crmkit import outbox
from crmkit.ids import new_id, new_ids

ENTRY_COLUMNS = "id, customer_id, type, occurred_at, actor_id, note, data"


# Entry ids are time-ordered (UUIDv7): new rows land at the right edge of the primary-key index
# instead of on random pages, which is what makes batch ingest fast (see docs/benchmarks.md).
new_entry_id = new_id


async def insert_entry(conn: asyncpg.Connection, *, entry: dict) -> asyncpg.Record | None:
    """Insert an entry unless its customer was purged (then None). Once per event: the caller runs
    inside the consumer's inbox transaction (or a use case of its own)."""
    return await conn.fetchrow(
        f"INSERT INTO timeline_entries ({ENTRY_COLUMNS}, source_event_id)"
        " SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS"
        "   (SELECT 1 FROM customer_access a WHERE a.customer_id = $2 AND a.purged)"
        f" RETURNING {ENTRY_COLUMNS}",
        entry["id"], entry["customer_id"], entry["type"], entry["occurred_at"], entry.get("actor_id"),
        entry.get("note"), entry.get("data") or {}, entry.get("source_event_id"),
    )


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


def visible_to(is_admin: str, user_id: str, is_manager: str, unit_path: str) -> str:
    """SQL: the customer `a` is visible to a user, given as SQL expressions. Same rule as the
    customers service: admin, owner, holder, viewer, or manager above the owner's unit."""
    return (f"({is_admin} OR a.owner_id = {user_id} OR a.holder_id = {user_id} OR {user_id} = ANY(a.viewer_ids)"
            f" OR ({is_manager} AND {unit_path} <> '' AND a.owner_unit_path LIKE {unit_path} || '%'))")


# ... to the caller ($2..$5, see store.tickets.access_args)
VISIBLE = visible_to("$2", "$3", "$4", "$5")
# ... to the directory user `u` (someone mentioned in a comment)
VISIBLE_TO_DIRECTORY_USER = visible_to("'admin' = ANY(u.roles)", "u.id", "'manager' = ANY(u.roles)",
                                       "COALESCE(u.unit_path, '')")


async def customer_visible(conn: asyncpg.Connection, *, customer_id: uuid.UUID, user_id: uuid.UUID,
                           is_admin: bool, is_manager: bool, unit_path: str) -> bool:
    return bool(await conn.fetchval(
        f"SELECT true FROM customer_access a WHERE a.customer_id = $1 AND NOT a.deleted AND {VISIBLE}",
        customer_id, is_admin, user_id, is_manager, unit_path,
    ))


async def page(conn: asyncpg.Connection, *, customer_id: uuid.UUID, limit: int,
               after: tuple[datetime, uuid.UUID] | None, types: list[str] | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {ENTRY_COLUMNS} FROM timeline_entries WHERE customer_id = $1"
        " AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2, $3))"
        " AND ($4::text[] IS NULL OR type = ANY($4))"
        " ORDER BY occurred_at DESC, id DESC LIMIT $5",
        customer_id, after[0] if after else None, after[1] if after else None, types, limit,
    )


async def insert_entries(conn: asyncpg.Connection, *, type_: str, occurred_at: datetime, actor_id: uuid.UUID | None,
                         note: str | None, source_event_id: uuid.UUID,
                         per_customer: list[tuple[uuid.UUID | str, dict[str, Any]]]) -> list[asyncpg.Record]:
    """The entries of one batch event, one per customer (`data` each), in bulk: COPY into a
    temporary table, then one INSERT that skips purged customers (a redelivered event never gets
    here: the consumer's inbox skips it in the same transaction). What the batch shares is sent
    once, as parameters. Returns (id, customer_id) of the entries written, as text (they go
    straight into an event)."""
    await conn.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS incoming_entries (id uuid, customer_id uuid, data text)"
        " ON COMMIT DELETE ROWS")
    ids = new_ids(len(per_customer))
    dumps = orjson.dumps
    # JSON as text: COPY's binary format has no jsonb encoder in asyncpg
    await conn.copy_records_to_table("incoming_entries", records=[
        (entry_id, customer_id, dumps(data).decode()) for entry_id, (customer_id, data) in zip(ids, per_customer)])
    return await conn.fetch(
        f"INSERT INTO timeline_entries ({ENTRY_COLUMNS}, source_event_id)"
        " SELECT id, customer_id, $1, $2, $3, $4, data::jsonb, $5"
        " FROM incoming_entries i WHERE NOT EXISTS"
        "   (SELECT 1 FROM customer_access a WHERE a.customer_id = i.customer_id AND a.purged)"
        " ORDER BY customer_id"  # index insertions in key order: fewer pages touched per batch
        " RETURNING id::text, customer_id::text",
        type_, occurred_at, actor_id, note, source_event_id)


async def upsert_owners(conn: asyncpg.Connection, *, ids: list, versions: list[int], owner_ids: list,
                        owner_unit_paths: list[str | None], holder_ids: list | None = None) -> None:
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


async def erase_customers(conn: asyncpg.Connection, *, ids: list[uuid.UUID]) -> None:
    """Decree 13/2023: what this service keeps about purged customers loses its personal data."""
    await conn.execute(
        "INSERT INTO customer_access (customer_id, deleted, purged, version)"
        " SELECT unnest($1::uuid[]), true, true, 2147483647"
        " ON CONFLICT (customer_id) DO UPDATE SET deleted = true, purged = true, owner_id = NULL,"
        "   holder_id = NULL, viewer_ids = '{}', version = 2147483647", ids,
    )
    await outbox.forget_published(conn, subjects=[str(i) for i in ids])  # interaction.recorded with notes
    await conn.execute("UPDATE timeline_entries SET note = NULL, data = '{}', actor_id = NULL"
                       " WHERE customer_id = ANY($1::uuid[])", ids)
    await conn.execute("UPDATE care_tickets SET note = NULL, result = NULL, cancel_reason = NULL, search_text = ''"
                       " WHERE customer_id = ANY($1::uuid[])", ids)
    await conn.execute(
        "UPDATE support_tickets SET title = '', content = NULL, handling_process = NULL,"
        " response_to_customer = NULL, customer_feedback = NULL, contact_name = NULL, contact_details = NULL,"
        " search_text = '' WHERE customer_id = ANY($1::uuid[])", ids)
    await conn.execute("UPDATE comments SET text = '', hashtags = '{}' WHERE customer_id = ANY($1::uuid[])", ids)
    await conn.execute("UPDATE appointments SET title = '', note = NULL, location = NULL"
                       " WHERE customer_id = ANY($1::uuid[])", ids)
    await conn.execute("UPDATE notifications SET body = NULL WHERE data->>'customer_id' = ANY($1::text[])",
                       [str(i) for i in ids])  # the body quotes the comment
    from crm_interactions.store import attachments  # here: that module imports this one
    await attachments.erase_customers(conn, ids=ids)  # rows and files
