"""Customer lists and search (C-6, C-7): a scope, a search, filters, a sort and a keyset page,
all inside what the caller may see (C-9)."""
from __future__ import annotations

from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Forbidden
from crmkit.pagination import MAX_LIMIT

from crm_customers.domain.selection import CustomerFilter, parse_sort
from crm_customers.store import paging
from crm_customers.store.customers import Params, access_of
from crm_customers.store.selection import listing_where


def check_can_list(principal: Principal) -> None:
    """A service account without `customers.read` may not list (reads by id answer 404)."""
    if access_of(principal).sees_nothing:
        raise Forbidden()


async def list_customers(pool: asyncpg.Pool, *, principal: Principal, flt: CustomerFilter, sort: str | None = None,
                         limit: int = 50, cursor: str | None = None, with_count: bool = False) -> dict[str, Any]:
    """`{items, next_cursor}` plus `count` and `count_exact` when asked for.

    A search (`q`) matches exact substrings first; when that finds nothing (and `fuzzy` is not
    set), the list falls back to similar words (typos) and says so with `fuzzy: true`; the
    cursors of such a list keep the mode."""
    check_can_list(principal)
    order = parse_sort(sort)
    limit = max(1, min(int(limit), MAX_LIMIT))
    position = paging.position_of(cursor)
    fell_back = bool(flt.q and flt.fuzzy is None and position and position.fz)
    async with pool.acquire() as conn:
        async def run(selection: CustomerFilter, extra: dict[str, Any] | None
                      ) -> tuple[str, Params, list[dict[str, Any]], str | None]:
            listing = await listing_where(conn, selection, principal)
            walk, by_creation = listing.walk, order.key.column == "created_at"
            expected_rows = None if walk is None or not by_creation else await paging.expected_walk(
                conn, where=walk.where, params=walk.where_params, spacing=walk.spacing, limit=limit)
            if walk is not None and expected_rows is not None:
                walked = await paging.walked_page(conn, where=walk.where, search=walk.search, params=walk.params,
                                                  sort=order, cursor=cursor, limit=limit, expected_rows=expected_rows,
                                                  cursor_extra=extra)
                if walked is not None:
                    return listing.where, listing.params, *walked
            if listing.matches is not None and by_creation and await paging.matches_fit(conn, matches=listing.matches):
                items, next_cursor = await paging.newest_matches_page(
                    conn, matches=listing.matches, sort=order, cursor=cursor, limit=limit, cursor_extra=extra)
            else:
                items, next_cursor = await paging.page(conn, where=listing.where, params=listing.params, sort=order,
                                                       cursor=cursor, limit=limit, cursor_extra=extra,
                                                       reach=(listing.reach, listing.reach_params))
            return listing.where, listing.params, items, next_cursor

        selection = flt.model_copy(update={"fuzzy": True}) if fell_back else flt
        where, params, items, next_cursor = await run(selection, {"fz": 1} if fell_back else None)
        if not items and cursor is None and flt.q and flt.fuzzy is None:
            fell_back = True
            where, params, items, next_cursor = await run(flt.model_copy(update={"fuzzy": True}), {"fz": 1})
        result: dict[str, Any] = {"items": items, "next_cursor": next_cursor}
        if fell_back:
            result["fuzzy"] = True
        if with_count:
            if cursor is None and next_cursor is None:
                result["count"], result["count_exact"] = len(items), True
            else:
                result["count"], result["count_exact"] = await paging.count(conn, where, params)
    return result
