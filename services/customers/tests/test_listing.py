"""Lists and search against real PostgreSQL (C-6, C-7): Vietnamese-grade search, filters, sort,
keyset pages stable under inserts, cursors bound to their sort, counts."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import BadRequest, Invalid

from crm_customers.domain.selection import CustomerFilter, filter_from_query, parse_filter, parse_sort
from crm_customers.handlers.listing import list_customers
from crm_customers.store import customers as store
from crm_customers.store import paging, selection
from crm_customers.store.selection import customer_where

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", unit_id=None, unit_path="/r/", roles=frozenset({"admin"}))
BASE = datetime(2025, 1, 1, tzinfo=UTC)


async def add(pool, name: str, phone: str, *, minutes: int = 0, **values):
    async with pool.acquire() as conn:
        moment = BASE + timedelta(minutes=minutes)
        return await store.insert(conn, values={"id": uuid.uuid4(), "name": name, "phone": phone,
                                                "created_at": moment, "updated_at": moment, **values})


async def names(pool, principal=ADMIN, sort=None, **filters) -> list[str]:
    page = await list_customers(pool, principal=principal, flt=parse_filter(filters), limit=200, sort=sort)
    return [item["name"] for item in page["items"]]


async def search(pool, q: str) -> set[str]:
    page = await list_customers(pool, principal=ADMIN, flt=CustomerFilter(q=q), limit=200)
    return {item["name"] for item in page["items"]}


@pytest.fixture
async def people(pool):
    await add(pool, "Nguyễn Văn A", "+84912345678", email="van.a@example.vn")
    await add(pool, "Nguyễn Văn An", "+84987654321", company_name="Công ty TNHH Đại Phát")
    await add(pool, "Đặng Thị Đào", "+84383456789", tax_code="0100109106", company_name="Bình Minh")
    await add(pool, "Trần Dũng", "+84703111222", email="dung.tran@binhan.vn")
    await add(pool, "Lê Thị Hồng", "+84356000111")


async def test_search_ignores_case_and_diacritics(pool, people):
    assert await search(pool, "nguyen van a") == {"Nguyễn Văn A", "Nguyễn Văn An"}
    assert await search(pool, "NGUYỄN văn AN") == {"Nguyễn Văn An"}
    assert await search(pool, "le thi hong") == {"Lê Thị Hồng"}


async def test_d_with_stroke_matches_d(pool, people):
    assert await search(pool, "dang thi dao") == {"Đặng Thị Đào"}
    assert await search(pool, "đặng") == {"Đặng Thị Đào"}
    assert "Trần Dũng" in await search(pool, "đũng")


async def test_prefix_and_typos(pool, people, typo_plan):
    assert await search(pool, "nguy") == {"Nguyễn Văn A", "Nguyễn Văn An"}
    assert "Nguyễn Văn An" in await search(pool, "Nguyen Vna An")   # swapped letters
    assert "Lê Thị Hồng" in await search(pool, "le thi hongg")       # an extra letter
    assert await search(pool, "zzzz qqqq") == set()


@pytest.fixture(params=["row by row", "by the index"])
def typo_plan(request, monkeypatch):
    """The typo fallback tests a narrow caller's rows one by one, else reads the prefix GIN: the
    same customers either way."""
    monkeypatch.setattr(selection, "ROW_BY_ROW_REACH", 10**9 if request.param == "row by row" else -1)


async def test_typos_per_word_within_the_budget(pool, people, typo_plan):
    """Each word may hold the typos its length allows (one in 3-5 letters, two beyond, a swap is
    one), at the start of a word as the exact search: the same list order, nothing looser."""
    assert await search(pool, "tran dugn") == {"Trần Dũng"}              # swapped
    assert await search(pool, "nguyeen van") == {"Nguyễn Văn A", "Nguyễn Văn An"}  # an extra letter
    assert await search(pool, "dai phta") == {"Nguyễn Văn An"}           # company words
    assert await search(pool, "dnag th") == {"Đặng Thị Đào"}             # and a word still being typed
    assert await search(pool, "tran dxyz") == set()                      # three typos in four letters
    assert await search(pool, "nx vna") == set()                         # none in a two-letter word


async def test_typos_find_words_that_arrived_since(pool, people, typo_plan):
    assert await search(pool, "quyhn") == set()
    await add(pool, "Phạm Quỳnh", "+84912888999")
    assert await search(pool, "quyhn") == {"Phạm Quỳnh"}
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT id FROM customers WHERE name = 'Phạm Quỳnh'")
        await conn.execute("UPDATE customers SET company_name = 'Thép Hòa Phát' WHERE id = $1", row["id"])
        words = {r["word"] for r in await conn.fetch("SELECT word FROM search_words")}
    assert {"pham", "quynh", "thep", "hoa", "phat", "nguyen", "van", "an", "dai", "cong", "ty", "tnhh"} <= words
    assert not words & {"a", "0100109106", "example", "binhan"}  # one letter, tax codes, e-mails: not words of names
    assert await search(pool, "hoa paht") == {"Phạm Quỳnh"}


@pytest.mark.parametrize("q", ["0912 345 678", "+84912345678", "84-912-345-678", "0912.345.678", "5678", "45678",
                               "345678"])
async def test_phone_in_any_writing_and_by_suffix(pool, people, q):
    assert await search(pool, q) == {"Nguyễn Văn A"}


async def test_digits_in_groups_find_their_phrase(pool, people):
    await add(pool, "Kho Số", "+84912000111", company_name="Kho 12 3456")
    assert await search(pool, "12 3456") == {"Kho Số"}
    assert await search(pool, "12 345") == {"Kho Số"}  # the last group as typed so far
    assert await search(pool, "3456 12") == set()       # a phrase: in its order


async def test_legacy_prefix_and_short_digits(pool, people):
    assert await search(pool, "01683 456 789") == {"Đặng Thị Đào"}  # 0168 → 038
    assert await search(pool, "678") == set()  # fewer than 4 digits: no phone search


async def test_email_tax_code_and_company(pool, people):
    assert await search(pool, "van.a@example.vn") == {"Nguyễn Văn A"}
    assert await search(pool, "binhan") == {"Trần Dũng"}
    assert await search(pool, "0100109106") == {"Đặng Thị Đào"}
    assert await search(pool, "dai phat") == {"Nguyễn Văn An"}
    assert await search(pool, "Bình Minh") == {"Đặng Thị Đào"}


async def test_filters_on_built_in_fields(pool):
    await add(pool, "A", "+84912000001", gender="female", labels=["hot", "premium"], status="potential",
              province_code=79, province_name="Thành phố Hồ Chí Minh", email="a@x.vn",
              birthday=datetime(1990, 8, 15).date(), source="Hội chợ", minutes=1)
    await add(pool, "B", "+84912000002", gender="male", labels=["hot"], status="new", minutes=2)
    await add(pool, "C", "+84912000003", labels=["cold"], status="contacted", lifecycle="customer", party_type="organization",
              organization_size="10-49", minutes=3)
    assert await names(pool, labels=["hot", "cold"], sort="name") == ["A", "B", "C"]
    assert await names(pool, labels_all="hot,premium") == ["A"]
    assert await names(pool, gender=["Nữ"]) == ["A"]
    assert await names(pool, status="potential,new", sort="name") == ["A", "B"]
    assert await names(pool, province="Sài Gòn") == ["A"]
    assert await names(pool, province="79") == ["A"]
    assert await names(pool, has_email=True) == ["A"]
    assert await names(pool, has_email=False, sort="name") == ["B", "C"]
    assert await names(pool, birthday_from="1990-01-01", birthday_to="1990-12-31") == ["A"]
    assert await names(pool, birth_month=8) == ["A"]
    assert await names(pool, source=["hoi cho"]) == ["A"]
    assert await names(pool, lifecycle="customer", party_type="organization", organization_size="10-49") == ["C"]
    assert await names(pool, created_from="2025-01-01T00:02:00+00:00", sort="name") == ["B", "C"]
    assert await names(pool, created_to="2025-01-01T00:01:00+00:00") == ["A"]
    assert await names(pool, created_from="2025-01-01", created_to="2025-01-01", sort="name") == ["A", "B", "C"]
    assert await names(pool, scope="unassigned", sort="name") == ["A", "B", "C"]


async def test_owner_unit_filter_takes_the_subtree(pool):
    owner, unit, team = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await add(pool, "In team", "+84912000001", owner_id=owner, owner_unit_id=team, owner_unit_path=f"/r/{unit}/{team}/")
    await add(pool, "Elsewhere", "+84912000002", owner_id=owner, owner_unit_id=uuid.uuid4(), owner_unit_path="/r/x/")
    async with pool.acquire() as conn:  # the unit is known from a user's path
        await conn.execute("INSERT INTO directory_users (id, username, unit_id, unit_path, changed_at)"
                           " VALUES ($1, 'u', $2, $3, now())", uuid.uuid4(), team, f"/r/{unit}/{team}/")
    assert await names(pool, owner_unit_id=str(unit)) == ["In team"]
    assert await names(pool, owner_unit_id=str(team)) == ["In team"]
    assert await names(pool, owner_unit_id=str(uuid.uuid4())) == []
    assert await names(pool, owner_id=[str(owner)], sort="name") == ["Elsewhere", "In team"]


async def test_owner_unit_filter_knows_a_unit_from_the_unit_directory(pool):
    branch, team = uuid.uuid4(), uuid.uuid4()  # no user in either, no customer owned in the branch itself
    await add(pool, "In team", "+84912000011", owner_unit_id=team, owner_unit_path=f"/r/{branch}/{team}/")
    await add(pool, "Elsewhere", "+84912000012", owner_unit_id=uuid.uuid4(), owner_unit_path="/r/x/")
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO directory_units (id, name, path, changed_at) VALUES ($1, 'CN', $2, now())",
                           branch, f"/r/{branch}/")
    assert await names(pool, owner_unit_id=str(branch)) == ["In team"]


async def test_filterable_attributes(pool):
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO customer_attributes (id, key, name, type, options, filterable) VALUES"
            " (gen_random_uuid(), 'color', 'Màu', 'select', '[{\"value\": \"red\", \"label\": \"Đỏ\"},"
            "   {\"value\": \"blue\", \"label\": \"Xanh\"}]', true),"
            " (gen_random_uuid(), 'tags', 'Thẻ', 'multi-select', '[{\"value\": \"a\", \"label\": \"A\"},"
            "   {\"value\": \"b\", \"label\": \"B\"}]', true),"
            " (gen_random_uuid(), 'vip', 'VIP', 'boolean', '[]', true),"
            " (gen_random_uuid(), 'secret', 'Bí mật', 'text', '[]', false)")
    await add(pool, "Red", "+84912000001", attributes={"color": "red", "tags": ["a", "b"], "vip": True})
    await add(pool, "Blue", "+84912000002", attributes={"color": "blue", "tags": ["b"]})
    flt = filter_from_query([("attr.color", "red")])
    assert await names(pool, **flt.model_dump(exclude_none=True)) == ["Red"]
    assert await names(pool, attributes={"color": ["red", "blue"]}, sort="name") == ["Blue", "Red"]
    assert await names(pool, attributes={"tags": ["b"]}, sort="name") == ["Blue", "Red"]
    assert await names(pool, attributes={"tags": "a"}) == ["Red"]
    assert await names(pool, attributes={"vip": "Có"}) == ["Red"]
    for attributes, code in (({"secret": "x"}, "not_filterable"), ({"nope": "x"}, "unknown_field"),
                             ({"color": "green"}, "invalid_choice")):
        with pytest.raises(Invalid) as caught:
            await names(pool, attributes=attributes)
        assert caught.value.errors[0].code == code, caught.value.errors


async def test_unknown_filters_and_sorts_are_field_errors(pool):
    with pytest.raises(Invalid) as caught:
        filter_from_query([("colour", "red"), ("q", "x")])
    assert [(e.field, e.code) for e in caught.value.errors] == [("colour", "unknown_field")]
    with pytest.raises(Invalid) as caught:
        parse_filter({"scope": "everything"})
    assert caught.value.errors[0].field == "scope" and caught.value.errors[0].code == "invalid_choice"
    with pytest.raises(Invalid) as caught:
        parse_sort("-password")
    assert caught.value.errors[0].field == "sort" and caught.value.errors[0].code == "invalid_choice"
    for flt, field in (({"status": ["nope"]}, "status.0"), ({"labels": ["nope"]}, "labels.0"),
                       ({"province": ["Atlantis"]}, "province.0"), ({"gender": ["x"]}, "gender.0")):
        with pytest.raises(Invalid) as caught:
            await names(pool, **flt)
        assert caught.value.errors[0].field == field


async def _all_pages(pool, sort: str, limit: int, between=None) -> list[str]:
    seen, cursor = [], None
    while True:
        page = await list_customers(pool, principal=ADMIN, flt=CustomerFilter(), sort=sort, limit=limit, cursor=cursor)
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        if between:
            await between()


@pytest.mark.parametrize("sort", ["-created_at", "created_at", "name", "-name", "email", "-email", "birthday"])
async def test_keyset_pages_are_stable_when_rows_are_inserted_between_pages(pool, sort):
    for i in range(23):  # equal sort values too: the id breaks ties
        await add(pool, f"Khách {i:02d}", f"+849120001{i:02d}", minutes=i // 3,
                  email=f"k{i % 5}@x.vn" if i % 4 else None)
    before = await _all_pages(pool, sort, limit=200)
    counter = iter(range(100))

    async def insert_new():
        n = next(counter)
        await add(pool, f"Mới {n:02d}", f"+849130002{n:02d}", minutes=-1000)  # sorts anywhere

    paged = await _all_pages(pool, sort, limit=4, between=insert_new)
    old = [name for name in paged if name.startswith("Khách")]
    assert old == before and len(set(paged)) == len(paged)


async def test_a_cursor_is_refused_with_another_sort_or_when_malformed(pool):
    for i in range(3):
        await add(pool, f"K{i}", f"+8491200020{i}", minutes=i)
    page = await list_customers(pool, principal=ADMIN, flt=CustomerFilter(), sort="-created_at", limit=1)
    assert page["next_cursor"]
    for sort, cursor in (("name", page["next_cursor"]), ("created_at", page["next_cursor"]),
                         ("-created_at", "not-a-cursor"), ("-created_at", "eyJzIjogMX0")):
        with pytest.raises(BadRequest) as caught:
            await list_customers(pool, principal=ADMIN, flt=CustomerFilter(), sort=sort, limit=1, cursor=cursor)
        assert caught.value.code == "invalid_cursor"


async def test_counts_exact_when_small_estimated_when_large(pool):
    for i in range(5):
        await add(pool, f"K{i}", f"+8491200030{i}", minutes=i)
    page = await list_customers(pool, principal=ADMIN, flt=CustomerFilter(), limit=2, with_count=True)
    assert (page["count"], page["count_exact"]) == (5, True)
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO customers (id, name, phone) SELECT gen_random_uuid(), 'Bulk ' || i, '+8497' || lpad(i::text, 7, '0')"
            " FROM generate_series(1, 10050) i")
        await conn.execute("ANALYZE customers")
        where, params = await customer_where(conn, CustomerFilter(), ADMIN)
        count, exact = await paging.count(conn, where, params)
    assert not exact and count > 10_000
