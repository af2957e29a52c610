"""A search of common words walked newest first (customers 0019–0020, `store.paging.walked_page`)
against real PostgreSQL: page after page it answers exactly what the search rule answers in the
ordinary plan, for the admin and a branch manager, in both directions of the creation sort, with
deleted customers and other filters, and falls back to the ordinary page when the walk is cut short.
A search read with the ids first and sorted by creation takes its matches newest first
(`store.paging.newest_matches_page`): the same pages again."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from crmkit.auth import Principal

from crm_customers.domain.selection import CustomerFilter, parse_sort
from crm_customers.handlers.listing import list_customers
from crm_customers.store import customers as store
from crm_customers.store import paging, selection
from crm_customers.store.selection import customer_where

BRANCH = uuid.uuid4()
ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="/r/", roles=frozenset({"admin"}))
MANAGER = Principal(user_id=uuid.uuid4(), username="manager", unit_id=BRANCH, unit_path=f"/r/{BRANCH}/",
                    roles=frozenset({"manager"}))
BASE = datetime(2025, 1, 1, tzinfo=UTC)
QUERIES = ["le minh", "nguyen", "thi a", "an", "duc hoang", "example", "zz"]


@pytest.fixture
async def crowd(pool):
    """240 customers of 5 × 4 × 6 names, half in the manager's branch, every 9th deleted, every 4th
    labelled; a quarter created in the same minute as another (the id breaks the tie)."""
    families, middles, givens = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"], ["Văn", "Thị", "Minh", "Đức"], [
        "An", "Anh", "Minh", "Trang", "A", "Đức"]
    async with pool.acquire() as conn:
        for i in range(240):
            moment = BASE + timedelta(minutes=i - i % 4 // 3)
            unit = BRANCH if i % 2 else uuid.uuid4()
            values = {"id": uuid.uuid4(), "name": f"{families[i % 5]} {middles[i % 4]} {givens[i % 6]}",
                      "phone": f"+8491234{i:04d}", "created_at": moment, "updated_at": moment,
                      "owner_id": uuid.uuid4(), "owner_unit_id": unit, "owner_unit_path": f"/r/{unit}/"}
            if i % 3 == 0:
                values["email"] = f"khach{i}@example.vn"
            if i % 4 == 0:
                values["labels"] = ["hot"]
            await store.insert(conn, values=values)
            if i % 9 == 0:
                await conn.execute("UPDATE customers SET deleted_at = now() WHERE id = $1", values["id"])


async def expected(pool, principal: Principal, flt: CustomerFilter, sort: str) -> list[uuid.UUID]:
    """Every match in the ordinary plan; the similar words when none (the list's typo fallback)."""
    order = parse_sort(sort)
    async with pool.acquire() as conn:
        where, params = await customer_where(conn, flt, principal)
        rows = await conn.fetch(f"SELECT c.id FROM customers c WHERE {where} ORDER BY {paging.order_by_sql(order)}",
                                *params)
    if not rows and flt.fuzzy is None:
        return await expected(pool, principal, flt.model_copy(update={"fuzzy": True}), sort)
    return [r["id"] for r in rows]


async def every_page(pool, principal: Principal, flt: CustomerFilter, sort: str) -> list[uuid.UUID]:
    ids, cursor = [], None
    while True:
        page = await list_customers(pool, principal=principal, flt=flt, sort=sort, limit=7, cursor=cursor)
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


@pytest.fixture(params=["many", "some"])  # the ordinary page: the sort index walked / the ids first
def walks(monkeypatch, request):
    """Every search counts as one of many matches (so the walk is tried); counts the pages the walk
    filled."""
    async def common(conn, keys):
        return request.param, 1.0
    monkeypatch.setattr(selection, "_how_many", common)
    filled = []
    walked_page = paging.walked_page

    async def counted(*args, **kwargs):
        result = await walked_page(*args, **kwargs)
        filled.append(result is not None)
        return result
    monkeypatch.setattr(paging, "walked_page", counted)
    return filled


@pytest.mark.parametrize("sort", ["-created_at", "created_at"])
@pytest.mark.parametrize("principal", [ADMIN, MANAGER], ids=["admin", "manager"])
async def test_the_walk_answers_what_the_search_rule_answers(pool, crowd, walks, principal, sort):
    for q in QUERIES:
        for flt in (CustomerFilter(q=q), CustomerFilter(q=q, labels=["hot"])):
            assert await every_page(pool, principal, flt, sort) == await expected(pool, principal, flt, sort), (q, flt)
    assert any(walks), "no page came from the walk"


async def test_a_walk_cut_short_falls_back_to_the_ordinary_page(pool, crowd, walks, monkeypatch):
    async def expected_to_fill(conn, **kwargs):
        return 5
    monkeypatch.setattr(paging, "expected_walk", expected_to_fill)
    monkeypatch.setattr(paging, "WALK_ROWS", 5)  # fewer rows than a page of matches needs
    flt = CustomerFilter(q="le minh")
    assert await every_page(pool, MANAGER, flt, "-created_at") == await expected(pool, MANAGER, flt, "-created_at")
    assert walks and not any(walks)


@pytest.fixture
def statements(monkeypatch):
    """The walks' statements: the rows each one reads at most."""
    read: list[int] = []
    walked_sql = paging.walked_sql

    def counted(**kwargs):
        read.append(kwargs["rows"])
        return walked_sql(**kwargs)
    monkeypatch.setattr(paging, "walked_sql", counted)
    return read


async def first_page_statements(pool, statements: list[int], flt: CustomerFilter) -> list[int]:
    await list_customers(pool, principal=ADMIN, flt=flt, sort="-created_at", limit=7, cursor=None)
    first = list(statements)
    statements.clear()
    return first


async def test_a_walk_stops_where_none_of_the_expected_matches_are(pool, crowd, walks, statements, monkeypatch):
    """The newest 40 customers, one batch of other names: a walk expected to find five matches in its
    first rows finds none there and gives way to the ordinary page at once."""
    async with pool.acquire() as conn:
        for i in range(40):
            await store.insert(conn, values={"id": uuid.uuid4(), "name": f"Công ty Số {i}", "phone": f"+8498765{i:04d}",
                                             "created_at": BASE + timedelta(days=1, minutes=i)})
    monkeypatch.setattr(paging, "PROBE_MIN_ROWS", 1)

    async def evenly(conn, **kwargs):  # as if le minh's matches were spread evenly: a page within 40 rows
        return 40
    monkeypatch.setattr(paging, "expected_walk", evenly)
    flt = CustomerFilter(q="le minh")
    assert await first_page_statements(pool, statements, flt) == [25]  # 40 rows × 5 matches ÷ 8; no full walk
    assert walks == [False]
    assert await every_page(pool, ADMIN, flt, "-created_at") == await expected(pool, ADMIN, flt, "-created_at")


async def test_a_probe_that_fills_the_page_is_the_page(pool, crowd, walks, statements, monkeypatch):
    """le minh: 8 matches (a page of 7 and one more) within the newest 138 rows of the crowd."""
    monkeypatch.setattr(paging, "PROBE_MIN_ROWS", 1)

    async def plenty(conn, **kwargs):
        return 240
    monkeypatch.setattr(paging, "expected_walk", plenty)
    flt = CustomerFilter(q="le minh")
    assert await first_page_statements(pool, statements, flt) == [150]  # 240 × 5 ÷ 8: the probe alone
    assert walks == [True]
    assert await every_page(pool, ADMIN, flt, "-created_at") == await expected(pool, ADMIN, flt, "-created_at")


async def test_a_probe_with_some_matches_walks_on(pool, crowd, walks, statements, monkeypatch):
    monkeypatch.setattr(paging, "PROBE_MIN_ROWS", 1)

    async def soon(conn, **kwargs):  # the probe reads 63 rows (~3 matches): the walk goes on
        return 100
    monkeypatch.setattr(paging, "expected_walk", soon)
    assert await first_page_statements(pool, statements, CustomerFilter(q="le minh")) == [63, paging.WALK_ROWS]
    assert walks == [True]


async def test_other_sorts_and_rare_words_do_not_walk(pool, crowd, walks, monkeypatch):
    await every_page(pool, ADMIN, CustomerFilter(q="le minh"), "name")
    assert walks == []

    async def rare(conn, keys):
        return "few", float("inf")
    monkeypatch.setattr(selection, "_how_many", rare)
    await every_page(pool, ADMIN, CustomerFilter(q="le minh"), "-created_at")
    assert walks == []


async def test_the_walk_is_tried_when_the_callers_share_of_the_rows_should_fill_a_page(pool, crowd):
    """A match every 100 rows: the admin's page of 7 is expected within ~900 rows, a rep's (owner
    of one customer) within ~190,000 — past WALK_ROWS, so the rep's page is the ordinary one."""
    await pool.execute("ANALYZE customers")
    rep = Principal(user_id=await pool.fetchval("SELECT owner_id FROM customers LIMIT 1"), username="rep",
                    unit_id=BRANCH, unit_path=f"/r/{BRANCH}/t/", roles=frozenset({"sales"}))
    async with pool.acquire() as conn:
        for principal, fills in ((ADMIN, True), (rep, False)):
            where, params = await customer_where(conn, CustomerFilter(), principal)
            rows = await paging.expected_walk(conn, where=where, params=params, spacing=100, limit=7)
            assert (rows is not None) is fills
            if fills:
                assert 800 < rows < 1000  # 8 matches every 100 rows, in the rows the admin sees (the deleted are walked)
            too_sparse = paging.WALK_ROWS / 8  # a page of 7 needs 8 matches: more rows than the walk reads
            assert await paging.expected_walk(conn, where=where, params=params, spacing=too_sparse + 1, limit=7) is None


@pytest.fixture(params=["few", "some"])
def newest_matches(monkeypatch, request):
    """Every search is one of few or some matches (the ids first; some: the walk tried first and
    cut short); counts the pages read from the matches newest first."""
    async def counted_matches(conn, keys):
        return request.param, 1.0
    monkeypatch.setattr(selection, "_how_many", counted_matches)
    monkeypatch.setattr(paging, "WALK_ROWS", 3)  # a walk never fills a page of 7
    return _counted_newest_matches(monkeypatch)


@pytest.mark.parametrize("sort", ["-created_at", "created_at"])
@pytest.mark.parametrize("principal", [ADMIN, MANAGER], ids=["admin", "manager"])
async def test_the_matches_newest_first_answer_what_the_search_rule_answers(pool, crowd, newest_matches, principal,
                                                                           sort):
    for q in QUERIES:
        for flt in (CustomerFilter(q=q), CustomerFilter(q=q, labels=["hot"])):
            assert await every_page(pool, principal, flt, sort) == await expected(pool, principal, flt, sort), (q, flt)
    assert newest_matches and set(newest_matches) == {sort}


async def test_other_sorts_and_long_phones_read_the_ordinary_page(pool, crowd, newest_matches):
    for sort in ("name", "-updated_at"):
        flt = CustomerFilter(q="le minh")
        assert await every_page(pool, ADMIN, flt, sort) == await expected(pool, ADMIN, flt, sort)
    # a whole phone, suffixes of 6 and 9 digits: a few rows
    for q, digits in (("0912 340 013", "84912340013"), ("340013", "340013"), ("912340013", "912340013")):
        rows = await own_phones(pool, ADMIN, digits, "-created_at")
        assert rows and await every_page(pool, ADMIN, CustomerFilter(q=q), "-created_at") == rows, q
    assert newest_matches == []


async def own_phones(pool, principal: Principal, digits: str, sort: str) -> list[uuid.UUID]:
    """The visible customers whose own phone ends with `digits`, in `sort`'s order."""
    async with pool.acquire() as conn:
        visible, params = await customer_where(conn, CustomerFilter(), principal)
        rows = await conn.fetch(f"SELECT c.id FROM customers c WHERE {visible} AND c.phone LIKE '%{digits}'"
                                f" ORDER BY {paging.order_by_sql(parse_sort(sort))}", *params)
    return [r["id"] for r in rows]


@pytest.mark.parametrize("sort", ["-created_at", "created_at"])
@pytest.mark.parametrize("principal", [ADMIN, MANAGER], ids=["admin", "manager"])
async def test_phones_read_their_matches_newest_first(pool, crowd, newest_matches, principal, sort):
    """Suffixes of 4 and 5 digits: the customers whose own phone ends so."""
    for q, digits in (("0173", "0173"), ("40013", "40013"), ("0 1 7 5", "0175")):
        rows = await own_phones(pool, principal, digits, sort)
        assert rows, q
        assert await every_page(pool, principal, CustomerFilter(q=q), sort) == rows, q
    assert newest_matches and set(newest_matches) == {sort}


async def test_the_matches_newest_first_stop_at_the_page(pool, crowd):
    """The plan keeps the matches' order and stops once the page is full: it does not probe every
    match (the ordinary page's cost)."""
    await pool.execute("ANALYZE customers, customer_search")  # unanalysed, 240 rows are read whole and hashed
    async with pool.acquire() as conn:
        listing = await selection.listing_where(conn, CustomerFilter(q="nguyen"), ADMIN)
        assert listing.matches is not None
        sql, params = paging.newest_matches_sql(matches=listing.matches, sort=parse_sort("-created_at"), cursor=None,
                                                limit=3)
        plan = "\n".join(r[0] for r in await conn.fetch("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, *params))
    assert "Nested Loop" in plan and plan.index("Limit") < plan.index("Nested Loop"), plan
    probes = int(plan.split("customers_pkey on customers c (actual rows=")[1].split("loops=")[1].split(")")[0])
    assert probes < 10, plan  # 4 rows wanted of ~48 matches: a few deleted ones skipped, not all probed


async def test_a_generic_plan_of_the_matches_does_not_walk_the_recency_index(pool, crowd):
    """A prepared statement run often may get a plan made without the search's values: reading
    `customer_search_recent` newest first and testing every row would then be its cheapest guess
    (~1 s a search at 1M). The sort key is an expression, so that plan does not exist."""
    async with pool.acquire() as conn:
        listing = await selection.listing_where(conn, CustomerFilter(q="le minh"), ADMIN)
        assert listing.matches is not None
        sql, params = paging.newest_matches_sql(matches=listing.matches, sort=parse_sort("-created_at"),
                                                cursor=None, limit=20)
        async with conn.transaction():
            await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            await conn.execute("SET LOCAL enable_sort = off")  # a few rows here: make the walk its only escape
            await conn.execute(f"PREPARE generic_matches AS {sql}")
            try:
                plan = "\n".join(r[0] for r in await conn.fetch(
                    f"EXPLAIN EXECUTE generic_matches({', '.join(map(_literal, params))})"))
            finally:
                await conn.execute("DEALLOCATE generic_matches")
    assert "customer_search_recent" not in plan, plan


def _literal(value) -> str:
    if isinstance(value, list):
        return f"ARRAY[{', '.join(map(_literal, value))}]"
    return "'" + str(value).replace("'", "''") + "'"


@pytest.fixture
def many_matches(monkeypatch):
    """Every search is one of many matches, a match every 4 rows (~60 of the crowd's 240), whose
    walk never fills a page; counts the pages read from the matches newest first."""
    async def many(conn, keys):
        return "many", 4.0
    monkeypatch.setattr(selection, "_how_many", many)
    monkeypatch.setattr(paging, "WALK_ROWS", 3)
    return _counted_newest_matches(monkeypatch)


@pytest.mark.parametrize("principal", [ADMIN, MANAGER], ids=["admin", "manager"])
async def test_many_matches_whose_walk_did_not_fill_are_read_newest_first(pool, crowd, many_matches, principal):
    await pool.execute("ANALYZE customers")
    for q in QUERIES:
        for flt in (CustomerFilter(q=q), CustomerFilter(q=q, labels=["hot"])):
            assert await every_page(pool, principal, flt, "-created_at") == await expected(
                pool, principal, flt, "-created_at"), (q, flt)
    assert many_matches


async def test_many_matches_are_not_read_newest_first_past_the_bound_or_for_a_narrow_caller(
        pool, crowd, many_matches, monkeypatch):
    """A rep's own customers (one here) are fewer than the matches: the ordinary plan starts from them.
    Past NEWEST_MATCHES_MAX the matches are too many to sort."""
    await pool.execute("ANALYZE customers")
    rep = Principal(user_id=await pool.fetchval("SELECT owner_id FROM customers LIMIT 1"), username="rep",
                    unit_id=BRANCH, unit_path=f"/r/{BRANCH}/t/", roles=frozenset({"sales"}))
    flt = CustomerFilter(q="le minh", fuzzy=False)  # the exact rule's many matches (not its typo fallback's few)
    assert await every_page(pool, rep, flt, "-created_at") == await expected(pool, rep, flt, "-created_at")
    assert many_matches == []
    monkeypatch.setattr(paging, "NEWEST_MATCHES_MAX", 50)
    assert await every_page(pool, ADMIN, flt, "-created_at") == await expected(pool, ADMIN, flt, "-created_at")
    assert many_matches == []


def _counted_newest_matches(monkeypatch) -> list[str]:
    """The sorts of the pages read from the matches newest first, as they are read."""
    used: list[str] = []
    newest_matches_page = paging.newest_matches_page

    async def counted(*args, **kwargs):
        used.append(kwargs["sort"].text)
        return await newest_matches_page(*args, **kwargs)
    monkeypatch.setattr(paging, "newest_matches_page", counted)
    return used
