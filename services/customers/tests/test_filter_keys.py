"""Statuses and labels are written into the list's statement (store.selection._keys_literal), so
that PostgreSQL plans each choice of keys for itself: as a parameter, a prepared statement run
often got one generic plan for every status (a rare status's page walked the whole table)."""
from __future__ import annotations

import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Invalid

from crm_customers.domain.selection import CustomerFilter
from crm_customers.store import customers as store
from crm_customers.store.selection import customer_where

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="/r/", roles=frozenset({"admin"}))


@pytest.mark.parametrize(("flt", "written"), [
    (CustomerFilter(status=["contacted"]), "c.status = ANY('{contacted}'::text[])"),
    (CustomerFilter(status=["refused", "wrong_number"]), "c.status = ANY('{refused,wrong_number}'::text[])"),
    (CustomerFilter(labels=["vip"]), "c.labels && '{vip}'::text[]"),
    (CustomerFilter(labels_all=["vip", "hot"]), "c.labels @> '{vip,hot}'::text[]"),
])
async def test_the_keys_are_part_of_the_statement(pool, flt, written):
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO customer_labels (id, key, name) VALUES ($1, 'vip', 'VIP'), ($2, 'hot', 'Hot')"
                           " ON CONFLICT DO NOTHING", uuid.uuid4(), uuid.uuid4())
        where, params = await customer_where(conn, flt, ADMIN)
    assert written in where
    assert not any(isinstance(p, list) and set(p) & {"contacted", "refused", "vip"} for p in params)


async def test_the_statement_answers_like_the_rows(pool):
    async with pool.acquire() as conn:
        for i, status in enumerate(["new", "contacted", "contacted", "refused"]):
            await store.insert(conn, values={"id": uuid.uuid4(), "name": f"Khách {i}", "phone": f"+8491234{i:04d}",
                                             "status": status})
        for statuses, count in ((["contacted"], 2), (["refused", "new"], 2), (["potential"], 0)):
            where, params = await customer_where(conn, CustomerFilter(status=statuses), ADMIN)
            assert await conn.fetchval(f"SELECT count(*) FROM customers c WHERE {where}", *params) == count


@pytest.mark.parametrize("key", ["x'); DELETE FROM customers; --", "Contacted", "a,b", "{a}"])
async def test_a_key_that_is_not_a_slug_is_refused_and_never_written(pool, key):
    async with pool.acquire() as conn:
        with pytest.raises(Invalid):
            await customer_where(conn, CustomerFilter(status=[key]), ADMIN)
        with pytest.raises(Invalid):
            await customer_where(conn, CustomerFilter(labels=[key]), ADMIN)
