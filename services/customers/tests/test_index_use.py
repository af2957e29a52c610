"""The filters name the predicates of the partial GIN indexes (migration 0015), so the planner can
use them: with sequential scans priced out, each plan reads the index. A filter written without
`<> '{}'` would fall back to reading the table (13 s at 10M). Label and status filters read their
link tables' primary keys (migrations 0021, 0026)."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal

from crm_customers.domain.selection import CustomerFilter
from crm_customers.store import configuration
from crm_customers.store.selection import customer_where

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="/r/", roles=frozenset({"admin"}))
REP = Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path="/r/b/t/",
                roles=frozenset({"sales"}))


@pytest.fixture
async def pool(pool):
    """5,000 customers holding no label, group, viewer or attribute, and a few that do (what the
    planner's statistics need to see the partial indexes as the cheap way)."""
    await pool.execute(
        "INSERT INTO customers (id, name, phone, status, labels, groups, viewer_ids)"
        " SELECT gen_random_uuid(), 'Khách ' || i, '+8490' || lpad(i::text, 7, '0'),"
        "        CASE WHEN i % 1000 = 0 THEN 'potential' ELSE 'new' END,"
        "        CASE WHEN i % 1000 = 0 THEN ARRAY['premium'] ELSE '{}' END,"
        "        CASE WHEN i % 1000 = 0 THEN ARRAY[gen_random_uuid()] ELSE '{}' END,"
        "        CASE WHEN i % 1000 = 0 THEN ARRAY[gen_random_uuid()] ELSE '{}' END"
        " FROM generate_series(1, 5000) i")
    await pool.execute("ANALYZE customers")
    await pool.execute("ANALYZE customer_status_links")
    return pool


async def plan_of(conn, sql: str, *params) -> str:
    async with conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")
        return "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {sql}", *params))


@pytest.mark.parametrize(("principal", "flt", "index"), [
    (ADMIN, CustomerFilter(labels=["premium"]), "customer_label_links_pkey"),
    (ADMIN, CustomerFilter(labels_all=["premium"]), "customer_label_links_pkey"),
    (ADMIN, CustomerFilter(groups=[uuid.uuid4()]), "customers_groups_held"),
    (ADMIN, CustomerFilter(status=["potential"]), "customer_status_links_pkey"),
    (REP, CustomerFilter(scope="shared"), "customers_viewers_held"),
    (REP, CustomerFilter(), "customers_viewers_held"),  # a rep's visibility: owned, held or shared
])
async def test_array_filters_read_their_partial_index(pool, principal, flt, index):
    async with pool.acquire() as conn:
        where, params = await customer_where(conn, flt, principal)
        assert index in await plan_of(conn, f"SELECT c.id FROM customers c WHERE {where}", *params)


@pytest.mark.parametrize(("kind", "reference", "index"), [
    ("label", "premium", "customer_label_links_pkey"), ("group", uuid.uuid4(), "customers_groups_held"),
    ("status", "potential", "customer_status_links_pkey")])
async def test_the_in_use_check_reads_an_index(pool, kind, reference, index):
    async with pool.acquire() as conn:
        sql = f"SELECT true FROM customers WHERE {configuration.USE[kind]} LIMIT 1"
        assert index in await plan_of(conn, sql, reference)


async def test_the_search_indexes_keep_a_small_pending_list(pool):
    """Every search reads a GIN's pending list whole (migration 0018): PostgreSQL's 4 MB default
    added up to ~8 ms to each name search until the list was merged."""
    limits = dict(await pool.fetch(
        "SELECT relname, reloptions FROM pg_class WHERE relname IN ('customer_search_prefixes', 'customer_search_doc')"))
    assert limits == {"customer_search_prefixes": ["gin_pending_list_limit=512"]}  # the trigram GIN: gone (0030)


async def test_the_search_rows_are_vacuumed_soon_after_inserts(pool):
    """The walk of the newest search rows (migration 0019) is index-only where the visibility map
    says so: the table is vacuumed after inserts of 2% of it, not PostgreSQL's 20%."""
    options = await pool.fetchval("SELECT reloptions FROM pg_class WHERE relname = 'customer_search'")
    assert "autovacuum_vacuum_insert_scale_factor=0.02" in options
