"""A selection for distribution (A-3, issue 13): the assignment service resolves `POST /assignments
{filter}` with one call here carrying the caller's own token. Same filter and visibility as the
lists and bulk actions (`store.selection.customer_where`), narrowed to the rows the caller may
edit — for managers and admins, who alone distribute, exactly the customers whose owner they may
change. Not routed by the gateway (`/internal/…`)."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit import customer_rows
from crmkit.auth import Principal

from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers.listing import check_can_list
from crm_customers.store import distribution as store
from crm_customers.store.customers import Params, access_of, editable_sql, visible_sql
from crm_customers.store.selection import customer_where

ROW_SIZE = customer_rows.ROW.size


async def distributable(pool: asyncpg.Pool, *, principal: Principal, flt: CustomerFilter, limit: int) -> bytes:
    """At most `limit` matching customers the caller may hand over, in `crmkit.customer_rows`'s
    format (with how many match in all when that is more); a filter naming unknown statuses,
    labels… is a 422 (`Invalid`)."""
    check_can_list(principal)
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        where, params = await customer_where(conn, flt, principal)
        where = f"{where} AND {editable_sql(access_of(principal), params)}"
        units, rows = await store.selection_rows(conn, where=where, params=Params(params), limit=limit)
        # more than the caller takes: it refuses, saying how many matched (counted only then)
        matched = await store.count(conn, where=where, params=params) if len(rows) >= limit * ROW_SIZE else None
    return customer_rows.encode(units, rows, matched=matched)


async def snapshots(pool: asyncpg.Pool, *, principal: Principal, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """Read your own writes (issue 15): who may see each live customer of `ids` that the caller
    sees now, for another service whose read model has not yet caught up with the events
    (crmkit.customers_client)."""
    params = Params([ids])
    visible = visible_sql(access_of(principal), params)
    async with pool.acquire() as conn:
        return [dict(row) for row in await store.snapshots(conn, ids=ids, visible=visible, params=params)]
