"""`customer_status_links` follows the `status` column (migration 0026): status filters and the
"in use" check read the links, so a link missing or left behind would show a customer under the
wrong status, or let a status in use be deleted. The labels' links share the update trigger."""
from __future__ import annotations

import pytest


async def links_match_arrays(pool) -> None:
    links = {(r["label"], r["customer_id"]) for r in await pool.fetch("SELECT label, customer_id FROM customer_label_links")}
    arrays = {(r["label"], r["id"]) for r in await pool.fetch("SELECT DISTINCT unnest(labels) AS label, id FROM customers")}
    assert links == arrays


async def links_match_statuses(pool) -> None:
    links = {(r["status"], r["customer_id"]) for r in await pool.fetch(
        "SELECT status, customer_id FROM customer_status_links")}
    rows = {(r["status"], r["id"]) for r in await pool.fetch("SELECT status, id FROM customers")}
    assert links == rows


@pytest.fixture
async def pool(pool):
    await pool.execute(
        "INSERT INTO customers (id, name, phone, status, labels)"
        " SELECT gen_random_uuid(), 'Khách ' || i, '+8490' || lpad(i::text, 7, '0'),"
        "        (ARRAY['new', 'contacted', 'potential'])[i % 3 + 1], CASE WHEN i % 2 = 0 THEN '{hot}' ELSE '{}' END::text[]"
        " FROM generate_series(1, 150) i")
    return pool


async def test_inserted_rows_get_their_links(pool):
    await links_match_statuses(pool)
    assert await pool.fetchval("SELECT count(*) FROM customer_status_links WHERE status = 'potential'") == 50


@pytest.mark.parametrize("change", [
    "status = 'refused'",                                                               # all to one
    "status = CASE status WHEN 'new' THEN 'contacted' WHEN 'contacted' THEN 'new' ELSE status END",  # swapped
    "status = 'potential', labels = array_append(labels, 'warm')",                     # with a label
    "owner_id = gen_random_uuid()",                                                    # another column
])
async def test_updates_keep_the_links(pool, change):
    await pool.execute(f"UPDATE customers SET {change}, version = version + 1")
    await links_match_statuses(pool)
    await links_match_arrays(pool)


async def test_deleted_rows_take_their_links(pool):
    await pool.execute("DELETE FROM customers WHERE status = 'contacted'")
    await links_match_statuses(pool)
    assert await pool.fetchval("SELECT count(*) FROM customer_status_links WHERE status = 'contacted'") == 0


async def test_no_index_of_customers_holds_the_status(pool):
    """What lets a status change be HOT: PostgreSQL writes every index of a row when a column any
    of them holds (key, expression or predicate) changes."""
    indexes = await pool.fetch(
        "SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition"
        " FROM pg_index WHERE indrelid = 'customers'::regclass")
    assert indexes and not [i["name"] for i in indexes if "status" in i["definition"]]
