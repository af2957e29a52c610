"""`customer_names` holds the name sort's index (migration 0024): it follows the names of
`customers` on every write path, owner changes leave it alone, and `sort=name` pages read it in
either plan (walking its index, or sorting the caller's few rows) with the same rows in the same
order as the Vietnamese collation gives."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal

from crm_customers.domain.selection import CustomerFilter, parse_sort
from crm_customers.handlers.listing import list_customers
from crm_customers.store import paging
from crm_customers.store.selection import listing_where

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="/r/", roles=frozenset({"admin"}))
REP = Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path="/r/b/t/",
                roles=frozenset({"sales"}))
# in the Vietnamese order (Đ after D, Ư after U, tones after the bare letter); the database's C
# collation would put every Đ and Ư after Z
WORDS = ["An", "Ánh", "Bình", "Dũng", "Đào", "Hà", "Uyên", "Ưng", "Yến"]


async def names_match_rows(pool) -> None:
    names = {(r["customer_id"], r["name"]) for r in await pool.fetch("SELECT customer_id, name FROM customer_names")}
    rows = {(r["id"], r["name"]) for r in await pool.fetch("SELECT id, name FROM customers WHERE name IS NOT NULL")}
    assert names == rows


@pytest.fixture
async def pool(pool):
    """180 customers, 20 of them the rep's, named from WORDS in a shuffled order."""
    await pool.execute(
        "INSERT INTO customers (id, name, phone, owner_id)"
        " SELECT gen_random_uuid(), ($1::text[])[(i * 7) % 9 + 1] || ' ' || lpad(((i * 37) % 180)::text, 3, '0'),"
        "        '+8490' || lpad(i::text, 7, '0'), CASE WHEN i % 9 = 0 THEN $2::uuid END"
        " FROM generate_series(1, 180) i", WORDS, REP.user_id)
    await pool.execute("ANALYZE customers")
    await pool.execute("ANALYZE customer_names")
    return pool


async def test_inserted_rows_get_their_names(pool):
    await names_match_rows(pool)
    assert await pool.fetchval("SELECT count(*) FROM customer_names") == 180


@pytest.mark.parametrize("change", [
    "name = name || ' (sửa)'",                                             # every name
    "name = CASE WHEN phone LIKE '%1' THEN 'Đổi ' || phone ELSE name END",  # a few of them
])
async def test_name_changes_follow(pool, change):
    await pool.execute(f"UPDATE customers SET {change}, version = version + 1")
    await names_match_rows(pool)


async def test_a_purged_tombstone_has_no_name(pool):
    await pool.execute("UPDATE customers SET deleted_at = now(), purged_at = now(), name = NULL, phone = NULL"
                       " WHERE phone LIKE '%5'")
    await names_match_rows(pool)
    assert await pool.fetchval("SELECT count(*) FROM customer_names") == 162


async def test_deleted_rows_take_their_names(pool):
    await pool.execute("DELETE FROM customers WHERE phone LIKE '%3'")
    await names_match_rows(pool)


async def test_owner_changes_leave_the_names_alone(pool):
    before = dict(await pool.fetch("SELECT customer_id, xmin::text FROM customer_names"))
    await pool.execute("UPDATE customers SET owner_id = gen_random_uuid(), holder_id = owner_id, status = 'contacted',"
                       " labels = '{hot}', version = version + 1")
    assert dict(await pool.fetch("SELECT customer_id, xmin::text FROM customer_names")) == before


def vietnamese_order(rows: list[str]) -> list[str]:
    """The expected order: by WORDS' position, then the number after the word."""
    return sorted(rows, key=lambda name: (WORDS.index(name.split()[0]), name.split()[1]))


async def every_page(pool, principal: Principal, sort: str) -> list[str]:
    names, cursor = [], None
    while True:
        page = await list_customers(pool, principal=principal, flt=CustomerFilter(), sort=sort, limit=7, cursor=cursor)
        names += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return names


@pytest.mark.parametrize("sort_first", [0, 10**9], ids=["walked", "sorted"])
@pytest.mark.parametrize("principal", [ADMIN, REP], ids=["admin", "rep"])
async def test_sort_by_name_pages_in_vietnamese_order_either_plan(pool, monkeypatch, principal, sort_first):
    monkeypatch.setattr(paging, "SORT_FIRST", sort_first)
    expected = vietnamese_order([r["name"] for r in await pool.fetch(
        "SELECT name FROM customers WHERE $1::uuid IS NULL OR owner_id = $1", None if principal is ADMIN else REP.user_id)])
    assert len(expected) == (180 if principal is ADMIN else 20)
    assert await every_page(pool, principal, "name") == expected
    assert await every_page(pool, principal, "-name") == expected[::-1]


async def test_a_renamed_customer_moves_in_the_order(pool):
    await pool.execute("UPDATE customers SET name = 'A 000' WHERE name = (SELECT max(name) FROM customers)")
    assert (await every_page(pool, ADMIN, "name"))[0] == "A 000"


async def plan(pool, principal: Principal) -> str:
    sort = parse_sort("name")
    async with pool.acquire() as conn:
        listing = await listing_where(conn, CustomerFilter(), principal)
        source = await paging._aside(conn, sort, listing.reach, listing.reach_params)
        return "\n".join(r[0] for r in await conn.fetch(
            f"EXPLAIN SELECT c.id FROM customers c JOIN {source} n ON n.id = c.id WHERE {listing.where}"
            f" ORDER BY {paging.order_by_sql(sort, 'n')} LIMIT 21", *listing.params))


async def test_a_filter_on_the_row_and_its_links_does_not_make_the_admin_sort(pool):
    """A status is tested on the row and in its links: the planner counts it twice (a third of the
    rows estimated at a ninth). The page's choice reads the caller's reach before the filters."""
    await pool.execute("UPDATE customers SET status = 'potential' WHERE phone LIKE '%1' OR phone LIKE '%2'"
                       " OR phone LIKE '%3'")
    sort = parse_sort("name")
    async with pool.acquire() as conn:
        listing = await listing_where(conn, CustomerFilter(status=["potential"]), ADMIN)
        assert "|| ''" not in await paging._aside(conn, sort, listing.reach, listing.reach_params)


async def test_the_admin_walks_the_names_index_and_a_rep_sorts_their_own(pool):
    await pool.execute("INSERT INTO customers (id, name, phone) SELECT gen_random_uuid(), 'Khách ' || i,"
                       " '+8491' || lpad(i::text, 7, '0') FROM generate_series(1, 20000) i")
    await pool.execute("ANALYZE customers")
    await pool.execute("ANALYZE customer_names")
    assert "customer_names_sorted" in await plan(pool, ADMIN)
    rep = await plan(pool, REP)
    assert "customer_names_sorted" not in rep and "Sort" in rep
