"""Pages of a customer selection (C-6): keyset cursors that carry the sort, ORDER BY of a
`domain.selection.Sort`, and counts (exact up to 10,000 rows, then the planner's estimate).

Cursors are read by `crmkit.pagination.decode_cursor`, the one cursor decoder (400
`invalid_cursor` for anything malformed)."""
from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

import asyncpg
from pydantic import BaseModel, Field

from crmkit.domain_errors import BadRequest
from crmkit.pagination import decode_cursor, encode_cursor

from crm_customers.domain.selection import Sort, SortColumn
from crm_customers.store.customers import COLUMNS, Params, as_customer

EXACT_COUNT_LIMIT = 10_000
SELECT_COLUMNS = ", ".join(f"c.{name.strip()}" for name in COLUMNS.split(","))


# Sorting


def sort_expression(key: SortColumn, alias: str) -> str:
    return f"{alias}.{key.column}" + (f" COLLATE {key.collate}" if key.collate else "")


def order_by_sql(sort: Sort, alias: str = "c") -> str:
    """NULLs last in both directions, the id as tie-breaker."""
    direction = "DESC" if sort.descending else "ASC"
    nulls = " NULLS LAST" if sort.key.nullable else ""
    return f"{sort_expression(sort.key, alias)} {direction}{nulls}, {alias}.id {direction}"


# Keyset cursors


class SortPosition(BaseModel):
    """What a list's cursor holds: the sort it was made for (`s`), the last row's value in it (`v`)
    and id, and `fz` when the list fell back to similar words."""
    s: str
    v: Annotated[int, Field(ge=-2**31, lt=2**31)] | str | None = None
    id: uuid.UUID
    fz: int | None = None


def position_of(cursor: str | None) -> SortPosition | None:
    return decode_cursor(cursor, SortPosition)


def cursor_of(sort: Sort, row: dict[str, Any], **extra: Any) -> str:
    column = sort.key.column
    value = row.get(column) if column != "province_name" else (row.get("province") or {}).get("name")
    if isinstance(value, (datetime, date)):
        value = value.isoformat()
    return encode_cursor({"s": sort.text, "v": value, "id": str(row["id"]), **extra})


def _cursor_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "timestamp":
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "int":
        return int(value)
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def after_cursor_sql(sort: Sort, cursor: str | None, params: Params, alias: str = "c") -> str | None:
    """The keyset condition "after the cursor's row" in `sort`; 400 `invalid_cursor` for a cursor
    that is malformed or was made for another sort."""
    position = position_of(cursor)
    if position is None:
        return None
    if position.s != sort.text:
        raise BadRequest("invalid_cursor")
    try:
        value = _cursor_value(sort.key.kind, position.v)
    except (TypeError, ValueError):
        raise BadRequest("invalid_cursor") from None
    last_id = position.id
    op = "<" if sort.descending else ">"
    column, key = sort_expression(sort.key, alias), f"{alias}.id"
    if value is None:
        if not sort.key.nullable:
            raise BadRequest("invalid_cursor")
        return f"({column} IS NULL AND {key} {op} {params.add(last_id)})"
    after = f"({column}, {key}) {op} ({params.add(value)}, {params.add(last_id)})"
    return f"({after} OR {column} IS NULL)" if sort.key.nullable else after


# Counting


async def count(conn: asyncpg.Connection, where: str, params: Params,
                limit: int = EXACT_COUNT_LIMIT) -> tuple[int, bool]:
    """(count, exact): exact up to `limit` rows (a bounded scan), else the planner's estimate."""
    exact = await conn.fetchval(
        f"SELECT count(*) FROM (SELECT 1 FROM customers c WHERE {where} LIMIT {limit + 1}) t", *params)
    if exact <= limit:
        return exact, True
    return max(await estimated_rows(conn, f"SELECT 1 FROM customers c WHERE {where}", *params), limit + 1), False


async def estimated_rows(conn: asyncpg.Connection, query: str, *args: Any) -> int:
    """The planner's estimate of the rows `query` returns (EXPLAIN: no row is read)."""
    plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {query}", *args)
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


async def kept_rows(conn: asyncpg.Connection, where: str, params: Params) -> int:
    """The planner's estimate of the customers `where` keeps."""
    return await estimated_rows(conn, f"SELECT FROM customers c WHERE {where}", *params)


async def table_rows(conn: asyncpg.Connection, table: str) -> float:
    """The planner's row count of `table` (`reltuples`: -1 when never analysed; no row is read)."""
    return float(await conn.fetchval("SELECT reltuples FROM pg_class WHERE oid = $1::regclass", table))


# Pages


# Sort columns whose index is not on `customers` but in a narrow table beside it, joined as `n`
# (rows: id and the column): the name's (customers 0024), so that owner, status and label changes
# never write it. Two plans serve a page: walk that index and fetch each customer by primary key
# until the caller's conditions kept a page (~21·N/K probes for K rows kept of N), or fetch the K
# rows kept and sort them (K probes of the names). The planner prices the walk as if the kept rows
# were spread evenly over the names and picked it for the bench rep (2,000 of 1M): 20,500 probes,
# 141 ms, where sorting the rep's rows took 26 ms. So when the caller's reach (visibility and scope,
# before the filters) is below √(SORT_FIRST · N) rows, the names come as an expression (`|| ''`: the
# same order, no index) and the plan sorts at most that many rows; otherwise the planner chooses,
# from the index or from a rare filter's rows. Not K of the whole condition: a status or label
# tested on the row and in its links is estimated twice (the bench's `contract_closed`, 77,000 of
# 1M, came out at 6,088), and sorting 77,000 names took 330 ms.
SORTED_ASIDE = {"name": "(SELECT customer_id AS id, name{} AS name FROM customer_names)"}
SORT_FIRST = 50
# Without parallel workers: each walks its share of the index ahead of the page, and a filtered
# page (`status=contract_closed&sort=name`, 7.7% of 1M) read 2,000-10,600 names instead of ~300-3,000
# plus the workers' start: admin 18.6 → 1.4–1.6 ms, the bench manager 64.7 → 9.6–12.2 ms in the database.
SERIAL_WALK = "SET LOCAL max_parallel_workers_per_gather = 0"


async def _aside(conn: asyncpg.Connection, sort: Sort, reach: str, params: Params) -> str | None:
    """The joined source of `sort`'s column when it is aside, shaped for the cheaper plan."""
    aside = SORTED_ASIDE.get(sort.key.column)
    if aside is None:
        return None
    kept = await kept_rows(conn, reach, params)
    return aside.format(" || ''" if kept * kept <= SORT_FIRST * await table_rows(conn, "customers") else "")


async def page(conn: asyncpg.Connection, *, where: str, params: Params, sort: Sort, cursor: str | None,
               limit: int, cursor_extra: dict[str, Any] | None = None,
               reach: tuple[str, Params] | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """One keyset page (`limit` rows and the next cursor, None on the last page); `reach`: the
    caller's rows before the filters (store.selection.Listing), else `where`."""
    aside = await _aside(conn, sort, *(reach or (where, params)))
    params = Params(params)
    alias = "n" if aside else "c"
    after = after_cursor_sql(sort, cursor, params, alias=alias)
    condition = f"{where} AND {after}" if after else where
    sql = (f"SELECT {SELECT_COLUMNS} FROM customers c{f' JOIN {aside} n ON n.id = c.id' if aside else ''}"
           f" WHERE {condition} ORDER BY {order_by_sql(sort, alias)} LIMIT {int(limit) + 1}")
    if aside is None:
        return _page_of(await conn.fetch(sql, *params), sort=sort, limit=limit, cursor_extra=cursor_extra)
    async with conn.transaction():  # one backend walks: workers each walk ahead of the page
        await conn.execute(SERIAL_WALK)
        rows = await conn.fetch(sql, *params)
    return _page_of(rows, sort=sort, limit=limit, cursor_extra=cursor_extra)


def _page_of(rows: list[asyncpg.Record], *, sort: Sort, limit: int, cursor_extra: dict[str, Any] | None
             ) -> tuple[list[dict[str, Any]], str | None]:
    """The items of `limit` + 1 rows read and the next cursor (None when no row was left over)."""
    items = [as_customer(row) for row in rows[:limit]]
    next_cursor = cursor_of(sort, items[-1], **(cursor_extra or {})) if len(rows) > limit and items else None
    return items, next_cursor


# A search of many matches (store.selection.listing_where) sorted by creation reads
# `customer_search_recent` (customers 0019: created_at, id, and the search text in the index) from
# the newest row after the cursor, tests each row's words on the index page, and fetches only the
# matches from `customers`: ~130–200 buffers and 1–2 ms for a page of a common pair at 2.6M, where
# the ids first or the sort index walked read 13,000–92,000. Bounded: a caller who sees few of the
# newest matches (a rep, a small branch, matches clustered among older rows) would walk the whole
# index, so the walk is tried only when a page is expected within WALK_ROWS rows, and stops there
# (~15–20 ms for 50,000 rows and three words); then the page is the ordinary one.
# The estimates assume the matches spread evenly. They are not where the newest rows came in one batch
# of other names (an import of companies, or of another region): `duong khanh` at 1M, a page expected
# within ~22,000 rows, had none among the newest 94,000 and the walk cost 26 ms before the ids first
# answered. So the walk first reads the rows expected to hold PROBE_MATCHES of the caller's matches:
# none there, and the ids first answer at once; a page there, and it is the page.
# Measured: docs/benchmarks.md, "Search: the newest first" and "A walk that finds none where matches
# were expected stops early".
WALK_ROWS = 50_000
PROBE_MATCHES = 5
PROBE_MIN_ROWS = 1_000


async def expected_walk(conn: asyncpg.Connection, *, where: str, params: Params, spacing: float, limit: int
                        ) -> int | None:
    """The rows of the walk expected to fill a page of `limit` (a match every `spacing` rows of the
    table, of which the caller's other conditions keep the planner's share); None beyond WALK_ROWS."""
    needed = (limit + 1) * spacing
    if needed > WALK_ROWS:
        return None
    kept = await kept_rows(conn, where, params)
    rows = await table_rows(conn, "customers")
    expected = needed * max(rows, kept) / kept if kept > 0 else math.inf
    return math.ceil(expected) if expected <= WALK_ROWS else None


async def walked_page(conn: asyncpg.Connection, *, where: str, search: str, params: Params, sort: Sort,
                      cursor: str | None, limit: int, expected_rows: int, cursor_extra: dict[str, Any] | None = None
                      ) -> tuple[list[dict[str, Any]], str | None] | None:
    """`page` for a search of many matches (`search`, over `customer_search` rows `s`) sorted by
    `created_at`, expected within `expected_rows` of the walk; None when the walk did not fill the
    page, or found none where PROBE_MATCHES were expected (then only `page` can say what is left)."""
    for walked in walk_lengths(expected_rows, limit):
        sql, args = walked_sql(where=where, search=search, params=params, sort=sort, cursor=cursor, limit=limit,
                               rows=walked)
        rows = await conn.fetch(sql, *args)
        if len(rows) > limit:
            return _page_of(rows, sort=sort, limit=limit, cursor_extra=cursor_extra)
        if not rows:
            return None
    return None


def walk_lengths(expected_rows: int, limit: int) -> tuple[int, ...]:
    """The rows each statement of `walked_page` reads at most: the probe's, then the whole walk's."""
    probe = max(PROBE_MIN_ROWS, math.ceil(expected_rows * PROBE_MATCHES / (limit + 1)))
    return (probe, WALK_ROWS) if probe < WALK_ROWS else (WALK_ROWS,)


def walked_sql(*, where: str, search: str, params: Params, sort: Sort, cursor: str | None, limit: int,
               rows: int = WALK_ROWS) -> tuple[str, Params]:
    params = Params(params)
    after = after_cursor_sql(sort, cursor, params, alias="w")
    newest = (f"SELECT w.id, w.created_at, w.search_doc"
              f" FROM (SELECT customer_id AS id, created_at, search_doc FROM customer_search) w"
              f" {'WHERE ' + after if after else ''} ORDER BY {order_by_sql(sort, 'w')} LIMIT {int(rows)}")
    return _first_visible_sql(newest, where=f"({search}) AND {where}", sort=sort, limit=limit), params


# A search whose matches' ids come first (`Matches`: few or some matches, from the prefix GIN or a
# phone suffix) sorted by creation sorts those matches by the creation time their search rows carry
# (customers 0019) and fetches customers in that order until the page is full: ~21 primary-key
# probes for the admin and ~21 / share for a manager, where the ordinary page probes every match
# and then sorts (a common pair at 1M: 3,000–8,000 probes, ~4 buffers each; a 4-digit phone suffix
# ~100 at 1M, ~1,000 at 10M). Same rows, same order. Measured: docs/benchmarks.md, "The requests'
# fixed cost, and the matches newest first" and "The phone suffix…".


@dataclass(frozen=True)
class Matches:
    """A search's matches from the prefix GIN or `phone_rev` (store.selection.listing_where), as
    newest_matches_page reads them: the other conditions over `c` (and their arguments alone), the
    search over `customer_search` rows `s`, the arguments of both, and for many matches the rows of
    the table per match (estimated; None: few or some, read with the ids first anyway)."""
    where: str
    where_params: Params
    search: str
    params: Params
    spacing: float | None = None


# Many matches (more than ~√(200·N)) are read this way too when their walk did not fill the page
# (not tried: the caller keeps too few of the newest rows; or cut short), as long as they are at
# most NEWEST_MATCHES_MAX — the cost grows with the matches (one search row each to sort), where the
# ordinary plan walks the sort index, probing every row, for more than WALK_ROWS rows — and the
# caller's other conditions keep more rows than the matches (a rep's own customers are fewer: the
# ordinary plan starts from them). The bench branch manager's `do thanh` at 10M: 562 → 277–390 ms.
NEWEST_MATCHES_MAX = 100_000


async def matches_fit(conn: asyncpg.Connection, *, matches: Matches) -> bool:
    """Whether the page reads `matches` newest first (above)."""
    if matches.spacing is None:
        return True
    rows = await table_rows(conn, "customers")
    estimate = rows / matches.spacing
    if rows <= 0 or estimate > NEWEST_MATCHES_MAX:  # never analysed: nothing says how many
        return False
    return await kept_rows(conn, matches.where, matches.where_params) >= estimate


async def newest_matches_page(conn: asyncpg.Connection, *, matches: Matches, sort: Sort, cursor: str | None,
                              limit: int, cursor_extra: dict[str, Any] | None = None
                              ) -> tuple[list[dict[str, Any]], str | None]:
    """`page` for a search read with the ids first, sorted by `created_at`."""
    sql, params = newest_matches_sql(matches=matches, sort=sort, cursor=cursor, limit=limit)
    return _page_of(await conn.fetch(sql, *params), sort=sort, limit=limit, cursor_extra=cursor_extra)


def newest_matches_sql(*, matches: Matches, sort: Sort, cursor: str | None, limit: int) -> tuple[str, Params]:
    params = Params(matches.params)
    after = after_cursor_sql(sort, cursor, params, alias="w")
    # OFFSET 0 keeps the sorted matches a subquery of their own: the join below then keeps their
    # order and stops at the page's last row instead of joining every match and sorting again. The
    # sort key is an expression (`+ interval '0'`), not the column: a generic plan (PostgreSQL's for
    # a prepared statement run often, the search's values unknown) would otherwise read
    # `customer_search_recent` in that order and test every row: ~1 s for a rare search at 1M.
    newest = (f"SELECT w.id, w.created_at FROM (SELECT s.customer_id AS id,"
              f" s.created_at + interval '0' AS created_at FROM customer_search s WHERE {matches.search}) w"
              f" {'WHERE ' + after if after else ''} ORDER BY {order_by_sql(sort, 'w')} OFFSET 0")
    return _first_visible_sql(newest, where=matches.where, sort=sort, limit=limit), params


def _first_visible_sql(newest: str, *, where: str, sort: Sort, limit: int) -> str:
    """The first `limit` + 1 customers of `newest` (rows `s`: id, created_at, in `sort`'s order)
    that `where` keeps."""
    return (f"SELECT {SELECT_COLUMNS} FROM ({newest}) s JOIN customers c ON c.id = s.id"
            f" WHERE {where} ORDER BY {order_by_sql(sort, 's')} LIMIT {int(limit) + 1}")
