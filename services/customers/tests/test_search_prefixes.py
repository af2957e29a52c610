"""The stored word prefixes of name search (migration 0011, `store.selection.prefix_keys_sql`)
against real PostgreSQL: every write path keeps `customer_search` in step with the customers'
search text, and the prefix rule answers exactly what the LIKE rule on `search_doc` answered."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from crmkit.auth import Principal

from crm_customers.domain.selection import CustomerFilter
from crm_customers.domain.text import fold_words
from crm_customers.handlers import bulk, deletion
from crm_customers.handlers import customers as handlers
from crm_customers.handlers.listing import list_customers
from crm_customers.store import customers as store
from crm_customers.store import imports, selection
from crm_customers.store.customers import Params
from crm_customers.store.selection import customer_where

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="/r/", roles=frozenset({"admin"}))
BASE = datetime(2025, 1, 1, tzinfo=UTC)
NEW = {"lifecycle": "lead", "party_type": "individual", "status": "new"}  # what the import's row checks fill in

# customers whose search row does not match their fields (or have no row, or a row without a
# customer); the prefixes compared as sets, as the GIN reads them
OUT_OF_STEP = """
SELECT count(*) FROM customers c FULL JOIN customer_search s ON s.customer_id = c.id
WHERE c.id IS NULL OR s.customer_id IS NULL
   OR s.search_doc IS DISTINCT FROM crm_customer_search_doc(c.name, c.company_name, c.email, c.tax_code)
   OR s.phone_rev IS DISTINCT FROM crm_phone_rev(c.phone)
   OR s.created_at IS DISTINCT FROM c.created_at
   OR NOT (s.prefixes @> crm_word_prefixes(s.search_doc) AND s.prefixes <@ crm_word_prefixes(s.search_doc))"""


async def prefixes(pool, customer_id: uuid.UUID) -> set[str] | None:
    row = await pool.fetchval("SELECT prefixes FROM customer_search WHERE customer_id = $1", customer_id)
    return None if row is None else set(row)


async def found(pool, q: str) -> set[uuid.UUID]:
    page = await list_customers(pool, principal=ADMIN, flt=CustomerFilter(q=q), limit=200)
    return {item["id"] for item in page["items"]}


async def test_prefixes_are_every_2_to_8_character_start_of_every_word(pool):
    assert set(await pool.fetchval("SELECT crm_word_prefixes(' ngo thi yen a 0100109106 ')")) == {
        "ng", "ngo", "th", "thi", "ye", "yen", "01", "010", "0100", "01001", "010010", "0100109", "01001091"}
    assert await pool.fetchval("SELECT crm_word_prefixes('  ')") == []
    assert await pool.fetchval("SELECT crm_word_prefixes(NULL)") == []


async def test_create_update_delete_restore_and_purge_keep_the_prefixes_in_step(pool):
    rep = Principal(user_id=uuid.uuid4(), username="rep", unit_id=uuid.uuid4(), unit_path="/r/b/t/",
                    roles=frozenset({"sales"}))
    created = await handlers.create_customer(pool, principal=rep, name="Nguyễn Thị Hoa", phone="+84912345001",
                                             email="hoa@example.vn")
    assert {"ng", "nguyen", "ho", "hoa", "exampl", "example"} <= await prefixes(pool, created["id"])
    assert await found(pool, "thi hoa") == {created["id"]}

    await handlers.update_customer(pool, principal=rep, customer_id=created["id"], expected_version=None,
                                   changes={"name": "Trần Thị Hoà", "tax_code": "0100109106"})
    after = await prefixes(pool, created["id"])
    assert {"tr", "tran", "0100109"} <= after and "nguyen" not in after
    assert await found(pool, "nguyen thi hoa") == set()
    assert await found(pool, "tran hoa") == {created["id"]}

    before = await pool.fetchval("SELECT xmin::text FROM customer_search WHERE customer_id = $1", created["id"])
    await handlers.update_customer(pool, principal=rep, customer_id=created["id"], expected_version=None,
                                   changes={"note": "gọi lại", "address": "12 Lê Lợi"})
    async with pool.acquire() as conn:  # an owner change (issue 13's path) does not write the side table
        await store.update_owners(conn, rows=[{"id": created["id"], "owner_id": uuid.uuid4(), "owner_unit_id": None,
                                               "owner_unit_path": "/r/b/t/", "holder_id": None}])
    assert await pool.fetchval("SELECT xmin::text FROM customer_search WHERE customer_id = $1",
                               created["id"]) == before

    await bulk.bulk_action(pool, principal=ADMIN, action="delete", confirm=True, ids=[created["id"]])
    assert await found(pool, "tran hoa") == set()  # visibility comes from customers
    await deletion.restore_customer(pool, principal=ADMIN, customer_id=created["id"])
    assert await found(pool, "tran hoa") == {created["id"]}

    await deletion.purge_customer(pool, principal=ADMIN, customer_id=created["id"])
    assert await prefixes(pool, created["id"]) == set()
    assert await pool.fetchval(OUT_OF_STEP) == 0

    await pool.execute("DELETE FROM customers WHERE id = $1", created["id"])
    assert await prefixes(pool, created["id"]) is None


async def test_an_import_chunk_and_a_copy_keep_the_prefixes_in_step(pool):
    async with pool.acquire() as conn, conn.transaction():
        existing = await store.insert(conn, values={"id": uuid.uuid4(), "name": "Lê Văn Cũ", "phone": "+84912345100"})
        owner = {"owner_id": None, "owner_unit_id": None, "owner_unit_path": "/r/"}
        written = await imports.write_chunk(
            conn, creates=[(uuid.uuid4(), {"name": f"Phạm Thu Trang {i}", "phone": f"+849123452{i:02d}",
                                           "email": f"trang{i}@congty.vn", **NEW}) for i in range(30)],
            updates=[(existing["id"], {"name": "Lê Văn Mới", "company_name": "Công ty Đại Phát"})],
            owner=owner, group_id=None, importer_id=ADMIN.user_id)
        assert len(written) == 31
    await pool.copy_records_to_table("customers", columns=["id", "name", "phone"], records=[
        (uuid.uuid4(), f"Đỗ Thành {i}", f"+849123453{i:02d}") for i in range(5)])
    assert await pool.fetchval(OUT_OF_STEP) == 0
    assert len(await found(pool, "pham thu trang")) == 30
    assert await found(pool, "le van moi dai phat") == {existing["id"]}
    assert await found(pool, "cu") == set()
    assert len(await found(pool, "do thanh")) == 5


@pytest.mark.parametrize("how_many", ["many", "some", "few"])  # the sort index walked / the GIN's ids first
async def test_the_prefix_rule_answers_what_the_like_rule_answered(pool, monkeypatch, how_many):
    """A fixed data set with very common words (most rows), rare ones, one-letter words, words
    longer than 8 characters, e-mails and tax codes; every query, as admin, against the LIKE rule
    of before (each folded word starts a word of `search_doc`), in both forms of the prefix rule."""
    async def decided(conn, keys):
        return how_many, 1.0
    monkeypatch.setattr(selection, "_how_many", decided)
    families, middles, givens = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"], ["Văn", "Thị", "Minh", "Đức"], [
        "An", "Anh", "Hương", "Trang", "Thành", "Khánh", "Nam", "Quốc", "A"]
    async with pool.acquire() as conn:
        for i in range(360):
            name = f"{families[i % 5]} {middles[i % 4]} {givens[i % 9]}"
            extra = {"email": f"{givens[i % 9].lower()}{i}@example.vn"} if i % 3 == 0 else {}
            if i % 7 == 0:
                extra |= {"company_name": "Công ty Trách nhiệm hữu hạn Thương mại", "tax_code": f"01001{i:05d}"}
            moment = BASE + timedelta(minutes=i)
            await store.insert(conn, values={"id": uuid.uuid4(), "name": name, "phone": f"+8491234{i:04d}",
                                             "created_at": moment, "updated_at": moment, **extra})
    queries = ["nguyen", "nguyen van an", "van", "an", "a", "le a", "th", "thanh", "thi huong", "hoang duc khanh",
               "trach nhiem", "thuong mai", "thuongmai", "nhiem huu han", "example", "anh3", "0100100", "010010007",
               "0100100091", "van a example", "ng th", "dang", "zz", "Đức", "hoàng đức", "TRẦN THỊ"]
    for q in queries:
        doc = "crm_customer_search_doc(c.name, c.company_name, c.email, c.tax_code)"
        where = " AND ".join(f"{doc} LIKE '% {w}%'" for w in fold_words(q))
        before = {r["id"] for r in await pool.fetch(f"SELECT id FROM customers c WHERE c.deleted_at IS NULL AND {where}")}
        async with pool.acquire() as conn:
            now_where, params = await customer_where(conn, CustomerFilter(q=q), ADMIN)
            now = {r["id"] for r in await conn.fetch(f"SELECT c.id FROM customers c WHERE {now_where}", *params)}
        assert now == before, q
    assert await pool.fetchval(OUT_OF_STEP) == 0


@pytest.mark.parametrize("q", ["nguyen", "a", "nguyenvanan12"])
async def test_a_query_of_long_or_one_letter_words_keeps_the_like(pool, q):
    async with pool.acquire() as conn:
        where, _ = await customer_where(conn, CustomerFilter(q=q), ADMIN, params=Params())
    assert ("prefixes @>" in where) == (len(q) > 1)
    assert ("search_doc LIKE" in where) == (len(q) == 1 or len(q) > 8)


@pytest.mark.parametrize(("q", "keyed", "phrase"), [("0100100", True, False), ("0100100091", True, True),
                                                    ("0100 100", True, True), ("1 2 3 4", False, False)])
async def test_a_phone_like_query_finds_a_tax_code_by_its_prefix_key(pool, q, keyed, phrase):
    """One word of digits is looked up as its key in the prefix GIN (longer than a key: the LIKE
    decides); digits in groups by their keys, the phrase decided on `search_doc`; single digits
    have no key (the phone suffix alone: no index would find their phrase)."""
    async with pool.acquire() as conn:
        where, _ = await customer_where(conn, CustomerFilter(q=q), ADMIN, params=Params())
    assert "phone_rev LIKE" in where
    assert ("prefixes @>" in where) == keyed
    assert ("search_doc LIKE" in where) == phrase
