"""SQL of requests for compensation (P-2 … P-5) and their history (P-6). Visibility comes from
store/access.py (the package is joined as `p`)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crm_compensation.store.access import Access, Params, visible_requests_sql

COLUMNS = ("id, package_id, customer_id, requester_id, reason_code, reason_text, status, evidence, batch_id,"
           " decided_by, decided_at, decision_note, auto_rule_id, flag, version, created_at, updated_at")
R_COLUMNS = ", ".join(f"r.{name.strip()}" for name in COLUMNS.split(","))
_FROM = "FROM requests r JOIN lead_packages p ON p.id = r.package_id"
USING_QUOTA = ("draft", "submitted", "approved")


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> asyncpg.Record:
    """The new row; a second live request of the same lead violates `requests_one_live_per_lead`."""
    names = list(values)
    return await conn.fetchrow(
        f"INSERT INTO requests ({', '.join(names)}) VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})"
        f" RETURNING {COLUMNS}", *values.values())


async def get(conn: asyncpg.Connection, access: Access, request_id: uuid.UUID, *,
              for_update: bool = False) -> asyncpg.Record | None:
    """The request, if the caller sees it (locked for the transaction with `for_update`), with its
    package's owner and unit path (who else may change it)."""
    params = Params([request_id])
    return await conn.fetchrow(
        f"SELECT {R_COLUMNS}, p.owner_id AS package_owner_id, p.owner_unit_path AS package_unit_path {_FROM}"
        f" WHERE r.id = $1 AND {visible_requests_sql(access, params)}"
        + (" FOR UPDATE OF r" if for_update else ""), *params)


async def list_visible(conn: asyncpg.Connection, access: Access, *, package_id: uuid.UUID | None,
                       status: str | None, requester_id: uuid.UUID | None,
                       after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
    """Newest first; `limit` + 1 rows."""
    params = Params()
    conditions = [visible_requests_sql(access, params)]
    for column, value in (("r.package_id", package_id), ("r.status", status), ("r.requester_id", requester_id)):
        if value is not None:
            conditions.append(f"{column} = {params.add(value)}")
    if after is not None:
        conditions.append(f"(r.created_at, r.id) < ({params.add(after[0])}, {params.add(after[1])})")
    return await conn.fetch(
        f"SELECT {R_COLUMNS} {_FROM} WHERE {' AND '.join(conditions)}"
        f" ORDER BY r.created_at DESC, r.id DESC LIMIT {params.add(limit + 1)}", *params)


async def lead_case(conn: asyncpg.Connection, *, package_id: uuid.UUID, customer_id: uuid.UUID,
                    besides: uuid.UUID | None = None) -> asyncpg.Record:
    """What the eligibility rules read of a package and one of its leads, in one round trip (a
    request's creation reads it inside the package's lock): the lead's `delivered_at` (NULL: not a
    lead), the package's `leads` and quota `used` (other than `besides`), and the lead's live
    requests (`existing_ids`, `existing_statuses`)."""
    return await conn.fetchrow(
        "SELECT (SELECT delivered_at FROM package_leads WHERE package_id = $1 AND customer_id = $2) AS delivered_at,"
        " (SELECT count(*) FROM package_leads WHERE package_id = $1) AS leads,"
        " (SELECT count(*) FROM requests WHERE package_id = $1 AND status = ANY($4::text[])"
        "   AND id IS DISTINCT FROM $3) AS used,"
        " ARRAY(SELECT id FROM requests WHERE package_id = $1 AND customer_id = $2 AND status <> 'withdrawn'"
        "   AND id IS DISTINCT FROM $3 ORDER BY created_at) AS existing_ids,"
        " ARRAY(SELECT status FROM requests WHERE package_id = $1 AND customer_id = $2 AND status <> 'withdrawn'"
        "   AND id IS DISTINCT FROM $3 ORDER BY created_at) AS existing_statuses",
        package_id, customer_id, besides, list(USING_QUOTA))


async def live_of_lead(conn: asyncpg.Connection, *, package_id: uuid.UUID, customer_id: uuid.UUID,
                       besides: uuid.UUID | None = None) -> list[asyncpg.Record]:
    """The lead's requests that are not withdrawn (at most one), other than `besides`."""
    return await conn.fetch(
        "SELECT id, status FROM requests WHERE package_id = $1 AND customer_id = $2 AND status <> 'withdrawn'"
        " AND id IS DISTINCT FROM $3", package_id, customer_id, besides)


async def change(conn: asyncpg.Connection, *, request_id: uuid.UUID, values: dict[str, Any]) -> asyncpg.Record:
    """The changed columns, the next version; the new row."""
    params = Params([request_id])
    sets = [f"{name} = {params.add(value)}" for name, value in values.items()]
    return await conn.fetchrow(
        f"UPDATE requests SET {', '.join([*sets, 'version = version + 1', 'updated_at = now()'])}"
        f" WHERE id = $1 RETURNING {COLUMNS}", *params)


HISTORY_FIELDS = ("request_id", "action", "from_status", "to_status", "actor_id", "note", "auto_rule_id")


async def add_history(conn: asyncpg.Connection, *, request_id: uuid.UUID, action: str, from_status: str | None,
                      to_status: str, actor_id: uuid.UUID | None, note: str | None = None,
                      auto_rule_id: uuid.UUID | None = None) -> None:
    await add_history_many(conn, [{"request_id": request_id, "action": action, "from_status": from_status,
                                   "to_status": to_status, "actor_id": actor_id, "note": note,
                                   "auto_rule_id": auto_rule_id}])


async def add_history_many(conn: asyncpg.Connection, entries: list[dict[str, Any]]) -> None:
    """Transitions (each with every one of HISTORY_FIELDS) in one statement: a batch's submission
    and its automatic decisions write one row per request."""
    if entries:
        await conn.execute(
            "INSERT INTO request_history (request_id, action, from_status, to_status, actor_id, note, auto_rule_id)"
            " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[],"
            " $7::uuid[])", *([entry[name] for entry in entries] for name in HISTORY_FIELDS))


async def history(conn: asyncpg.Connection, request_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT action, from_status, to_status, actor_id, note, auto_rule_id, at FROM request_history"
        " WHERE request_id = $1 ORDER BY id", request_id)
