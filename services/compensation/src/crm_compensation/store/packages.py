"""SQL of lead packages (P-1), their leads and their credit ledger. Visibility comes from
store/access.py, the one definition reads by id, lists and writes share."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crm_compensation.store.access import Access, Params, visible_packages_sql

COLUMNS = ("id, name, provider, owner_id, owner_unit_id, owner_unit_path, purchased_at, reasons, window_days,"
           " max_share, min_call_attempts, created_by, version, created_at, updated_at")
_P_COLUMNS = ", ".join(f"p.{name.strip()}" for name in COLUMNS.split(","))
# the counters a package is shown with: leads, requests by state, credit
_COUNTERS = (
    " CROSS JOIN LATERAL (SELECT count(*) AS leads FROM package_leads l WHERE l.package_id = p.id) l"
    " CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE r.status IN ('draft', 'submitted')) AS requested,"
    "   count(*) FILTER (WHERE r.status = 'approved') AS approved,"
    "   count(*) FILTER (WHERE r.status = 'rejected') AS rejected FROM requests r WHERE r.package_id = p.id) r"
    " CROSS JOIN LATERAL (SELECT COALESCE(sum(c.amount), 0)::integer AS credit FROM credits c"
    "   WHERE c.package_id = p.id) c")
_WITH_COUNTERS = f"SELECT {_P_COLUMNS}, l.leads, r.requested, r.approved, r.rejected, c.credit FROM lead_packages p"


async def insert(conn: asyncpg.Connection, *, values: dict[str, Any]) -> None:
    names = list(values)
    await conn.execute(
        f"INSERT INTO lead_packages ({', '.join(names)}) VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})",
        *values.values())


async def get(conn: asyncpg.Connection, access: Access, package_id: uuid.UUID) -> asyncpg.Record | None:
    """The package with its counters, if the caller sees it."""
    params = Params([package_id])
    return await conn.fetchrow(
        f"{_WITH_COUNTERS}{_COUNTERS} WHERE p.id = $1 AND {visible_packages_sql(access, params)}", *params)


async def lock(conn: asyncpg.Connection, access: Access | None, package_id: uuid.UUID) -> asyncpg.Record | None:
    """The package row locked for the transaction (the quota and the drafts hold while it is), if
    the caller sees it (`access` None: whoever asks, an event)."""
    params = Params([package_id])
    visible = "TRUE" if access is None else visible_packages_sql(access, params)
    return await conn.fetchrow(f"SELECT {_P_COLUMNS} FROM lead_packages p WHERE p.id = $1 AND {visible}"
                               " FOR UPDATE", *params)


async def lock_of_request(conn: asyncpg.Connection, request_id: uuid.UUID) -> asyncpg.Record | None:
    """The package of a request, locked (whoever asks: the request's own checks follow)."""
    return await conn.fetchrow(f"SELECT {_P_COLUMNS} FROM lead_packages p"
                               " WHERE p.id = (SELECT package_id FROM requests WHERE id = $1) FOR UPDATE", request_id)


async def list_visible(conn: asyncpg.Connection, access: Access, *, provider: str | None,
                       owner_id: uuid.UUID | None, after: tuple[datetime, uuid.UUID] | None,
                       limit: int) -> list[asyncpg.Record]:
    """Newest first, with their counters; `limit` + 1 rows (the page's and whether more follow)."""
    params = Params()
    conditions = [visible_packages_sql(access, params)]
    if provider is not None:
        conditions.append(f"p.provider = {params.add(provider)}")
    if owner_id is not None:
        conditions.append(f"p.owner_id = {params.add(owner_id)}")
    if after is not None:
        conditions.append(f"(p.created_at, p.id) < ({params.add(after[0])}, {params.add(after[1])})")
    return await conn.fetch(
        f"{_WITH_COUNTERS}{_COUNTERS} WHERE {' AND '.join(conditions)}"
        f" ORDER BY p.created_at DESC, p.id DESC LIMIT {params.add(limit + 1)}", *params)


async def update(conn: asyncpg.Connection, *, package_id: uuid.UUID, values: dict[str, Any]) -> None:
    """The changed columns, the next version."""
    params = Params([package_id])
    sets = [f"{name} = {params.add(value)}" for name, value in values.items()]
    await conn.execute(f"UPDATE lead_packages SET {', '.join([*sets, 'version = version + 1', 'updated_at = now()'])}"
                       " WHERE id = $1", *params)


async def add_leads(conn: asyncpg.Connection, *, package_id: uuid.UUID, customer_ids: list[uuid.UUID],
                    delivered_at: datetime, added_by: uuid.UUID | None,
                    job_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """The customers that became leads now (those already leads of the package stay as they were)."""
    rows = await conn.fetch(
        "INSERT INTO package_leads (package_id, customer_id, delivered_at, added_by, job_id)"
        " SELECT $1, c, $3, $4, $5 FROM unnest($2::uuid[]) AS c ORDER BY c"
        " ON CONFLICT (package_id, customer_id) DO NOTHING RETURNING customer_id",
        package_id, customer_ids, delivered_at, added_by, job_id)
    return [r["customer_id"] for r in rows]


async def leads_page(conn: asyncpg.Connection, *, package_id: uuid.UUID,
                     after: tuple[datetime, uuid.UUID] | None, limit: int,
                     only_of: uuid.UUID | None = None) -> list[asyncpg.Record]:
    """Newest deliveries first, each with the customer's name and phone and its live request;
    `only_of`: just the leads that user owns or asked about."""
    params = Params([package_id])
    position = ""
    if after is not None:
        position = f" AND (l.delivered_at, l.customer_id) < ({params.add(after[0])}, {params.add(after[1])})"
    if only_of is not None:
        me = params.add(only_of)
        position += f" AND (f.owner_id = {me} OR q.requester_id = {me})"
    return await conn.fetch(
        "SELECT l.customer_id, l.delivered_at, f.full_name, f.phone, q.id AS request_id, q.status AS request_status"
        " FROM package_leads l LEFT JOIN customer_refs f ON f.customer_id = l.customer_id"
        " LEFT JOIN requests q ON q.package_id = l.package_id AND q.customer_id = l.customer_id"
        "   AND q.status <> 'withdrawn'"
        f" WHERE l.package_id = $1{position} ORDER BY l.delivered_at DESC, l.customer_id DESC"
        f" LIMIT {params.add(limit + 1)}", *params)


async def newest_holding(conn: asyncpg.Connection, access: Access, customer_id: uuid.UUID) -> list[asyncpg.Record]:
    """The visible packages that hold the customer as a lead, newest delivery first."""
    params = Params([customer_id])
    return await conn.fetch(
        f"SELECT {_P_COLUMNS} FROM package_leads l JOIN lead_packages p ON p.id = l.package_id"
        f" WHERE l.customer_id = $1 AND {visible_packages_sql(access, params)}"
        " ORDER BY l.delivered_at DESC, p.created_at DESC, p.id DESC LIMIT 50", *params)


async def credits(conn: asyncpg.Connection, package_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT id, request_id, customer_id, amount, created_at FROM credits WHERE package_id = $1"
        " ORDER BY created_at DESC, id DESC", package_id)


async def exists(conn: asyncpg.Connection, package_id: uuid.UUID) -> bool:
    return bool(await conn.fetchval("SELECT true FROM lead_packages WHERE id = $1", package_id))
