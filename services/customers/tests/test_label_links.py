"""`customer_label_links` follows the `labels` arrays (migration 0021): label filters read the links,
so a link missing or left behind would show a customer under the wrong label."""
from __future__ import annotations

import pytest


async def links_match_arrays(pool) -> None:
    links = {(r["label"], r["customer_id"]) for r in await pool.fetch("SELECT label, customer_id FROM customer_label_links")}
    arrays = {(r["label"], r["id"]) for r in await pool.fetch("SELECT DISTINCT unnest(labels) AS label, id FROM customers")}
    assert links == arrays


@pytest.fixture
async def pool(pool):
    await pool.execute(
        "INSERT INTO customers (id, name, phone, labels)"
        " SELECT gen_random_uuid(), 'Khách ' || i, '+8490' || lpad(i::text, 7, '0'),"
        "        (ARRAY['{}', '{hot}', '{hot,premium}', '{premium,cold,premium}'])[i % 4 + 1]::text[]"
        " FROM generate_series(1, 200) i")
    return pool


async def test_inserted_rows_get_their_links(pool):
    await links_match_arrays(pool)
    assert await pool.fetchval("SELECT count(*) FROM customer_label_links WHERE label = 'premium'") == 100


@pytest.mark.parametrize("change", [
    "labels = array_append(labels, 'warm')",                                   # added
    "labels = array_remove(labels, 'hot')",                                    # removed
    "labels = ARRAY(SELECT x FROM unnest(labels) x ORDER BY x DESC)",          # reordered: same set
    "labels = CASE WHEN labels = '{}' THEN '{cold}'::text[] ELSE '{}' END",    # all replaced
    "name = name || ' (sửa)'",                                                 # another column
])
async def test_updates_keep_the_links(pool, change):
    await pool.execute(f"UPDATE customers SET {change}, version = version + 1")
    await links_match_arrays(pool)


async def test_one_statement_adding_and_removing_on_different_rows(pool):
    await pool.execute("UPDATE customers SET labels = CASE WHEN 'hot' = ANY(labels) THEN '{}'"
                       " ELSE ARRAY['hot', 'reputable'] END")
    await links_match_arrays(pool)
    assert await pool.fetchval("SELECT count(*) FROM customer_label_links WHERE label = 'reputable'") == 100


async def test_deleted_rows_take_their_links(pool):
    await pool.execute("DELETE FROM customers WHERE 'premium' = ANY(labels)")
    await links_match_arrays(pool)
    assert await pool.fetchval("SELECT count(*) FROM customer_label_links WHERE label = 'premium'") == 0
