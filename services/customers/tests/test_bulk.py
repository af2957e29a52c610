"""Bulk actions over real PostgreSQL (C-10, E-3): by ids and by filter, only editable rows, counts,
chunked batch events carrying every id, configuration checks, confirmation of deletes."""
from __future__ import annotations

import itertools
import uuid

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import Invalid
from crmkit.unit_of_work import bind_actor

from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers import bulk
from crm_customers.store import customers as customer_store

TEAM, OTHER = "/r/b/t/", "/r/c/u/"
_numbers = itertools.count(1)


def person(path: str = TEAM, *roles: str) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


async def add(pool, count: int, owner: Principal | None, *, path: str | None = None, viewers=(), labels=(),
              status: str = "new") -> list[uuid.UUID]:
    """`count` customers owned by `owner` (in its unit), set-based."""
    start = next(_numbers) * 100_000
    for _ in range(count // 100_000):
        next(_numbers)
    rows = await pool.fetch(
        "INSERT INTO customers (id, name, phone, owner_id, owner_unit_path, viewer_ids, labels, status)"
        " SELECT gen_random_uuid(), 'Khách hàng ' || g, '+8490' || lpad(g::text, 7, '0'), $1, $2, $3, $4, $5"
        " FROM generate_series($6::int, $7::int) g RETURNING id",
        owner.user_id if owner else None, path or (owner.unit_path if owner else TEAM), list(viewers),
        list(labels), status, start, start + count - 1)
    return [r["id"] for r in rows]


async def batch_events(pool, event_type: str) -> list[dict]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", event_type)
    return [r["payload"] for r in rows]


async def test_by_ids_touches_only_editable_rows_and_never_reveals_invisible_ones(pool):
    rep, rep2 = person(), person()
    mine = await add(pool, 3, rep)
    shared = await add(pool, 1, rep2, viewers=[rep.user_id])  # visible to rep, not editable
    hidden = await add(pool, 1, rep2)
    unknown = uuid.uuid4()
    bind_actor(rep.user_id)  # the caller, as crmkit.auth.current_principal binds it for a request
    result = await bulk.bulk_action(pool, principal=rep, action="add_labels", labels=["hot", "premium"],
                                    ids=[*mine, *shared, *hidden, unknown, mine[0]])
    assert (result["matched"], result["updated"], result["skipped_not_editable"], result["not_found"],
            result["unchanged"]) == (4, 3, 1, 2, 0)
    rows = {r["id"]: r for r in await pool.fetch("SELECT id, labels, version FROM customers")}
    assert all(rows[i]["labels"] == ["hot", "premium"] and rows[i]["version"] == 2 for i in mine)
    assert rows[shared[0]]["labels"] == [] and rows[hidden[0]]["version"] == 1
    [event] = await batch_events(pool, "customers.bulk_updated")
    assert event["subject"] == str(result["batch_id"]) and event["actor"] == str(rep.user_id)
    data = event["data"]
    assert data["action"] == "add_labels" and data["labels"] == ["hot", "premium"]
    assert sorted(data["ids"]) == sorted(map(str, mine)) and data["versions"] == [2, 2, 2]
    assert (data["chunk"], data["last"]) == (1, True)

    again = await bulk.bulk_action(pool, principal=rep, action="add_labels", labels=["hot"], ids=mine)
    assert (again["updated"], again["unchanged"], again["events"]) == (0, 3, 0)
    removed = await bulk.bulk_action(pool, principal=rep, action="remove_labels", labels=["hot"], ids=mine)
    assert removed["updated"] == 3
    assert {r["labels"][0] for r in await pool.fetch("SELECT labels FROM customers WHERE id = ANY($1)", mine)} == {
        "premium"}


async def test_by_filter_walks_every_match_in_chunks_with_one_event_per_chunk(pool):
    rep, manager, outsider = person(), person("/r/b/", "manager"), person(OTHER)
    mine = await add(pool, 12_000, rep, labels=["warm"])
    colleagues = await add(pool, 500, person(), labels=["warm"])  # in the manager's subtree
    await add(pool, 300, outsider, labels=["warm"])  # out of reach of both
    await add(pool, 200, rep, labels=["cold"])  # does not match the filter

    result = await bulk.bulk_action(pool, principal=rep, action="set_status", status="potential",
                                    note="Đợt gọi tháng 5", flt=CustomerFilter(labels=["warm"]))
    assert (result["matched"], result["updated"], result["skipped_not_editable"]) == (12_000, 12_000, 0)
    assert result["not_found"] is None and result["events"] == 3
    events = await batch_events(pool, "customers.bulk_updated")
    assert [(e["data"]["chunk"], e["data"]["last"]) for e in events] == [(1, False), (2, False), (3, True)]
    assert all(len(e["data"]["ids"]) <= 5_000 and e["data"]["status"] == "potential" for e in events)
    ids = [i for e in events for i in e["data"]["ids"]]
    assert sorted(ids) == sorted(map(str, mine)) and len(set(ids)) == len(ids)
    assert {s for e in events for s in e["data"]["from_statuses"]} == {"new"}
    assert all(e["data"]["note"] == "Đợt gọi tháng 5" for e in events)

    by_manager = await bulk.bulk_action(pool, principal=manager, action="set_status", status="contacted",
                                        flt=CustomerFilter(labels=["warm"], scope="my_unit"))
    assert (by_manager["matched"], by_manager["updated"]) == (12_500, 12_500)
    statuses = {r["status"]: r["n"] for r in await pool.fetch("SELECT status, count(*) n FROM customers GROUP BY 1")}
    assert statuses == {"contacted": 12_500, "new": 500}
    assert len(colleagues) == 500


async def test_an_exactly_full_last_chunk_is_closed_by_an_empty_event(pool):
    rep = person()
    mine = await add(pool, 4, rep)
    result = await bulk.bulk_action(pool, principal=rep, action="add_labels", labels=["hot"], ids=mine, chunk_size=2)
    events = [e["data"] for e in await batch_events(pool, "customers.bulk_updated")]
    assert result["events"] == 3
    assert [(e["chunk"], e["last"], len(e["ids"])) for e in events] == [(1, False, 2), (2, False, 2), (3, True, 0)]


async def test_groups_and_viewers_and_managers(pool):
    rep, viewer, manager = person(), person(), person("/r/b/", "manager")
    mine = await add(pool, 2, rep, viewers=[viewer.user_id])
    group = await pool.fetchval("INSERT INTO customer_groups (id, name, description) VALUES ($1, 'Hội chợ', 'x')"
                                " RETURNING id", uuid.uuid4())
    as_viewer = await bulk.bulk_action(pool, principal=viewer, action="add_to_group", group_id=group, ids=mine)
    assert (as_viewer["matched"], as_viewer["updated"], as_viewer["skipped_not_editable"]) == (2, 0, 2)
    as_manager = await bulk.bulk_action(pool, principal=manager, action="add_to_group", group_id=group, ids=mine)
    assert as_manager["updated"] == 2
    assert await pool.fetchval("SELECT count(*) FROM customers WHERE $1 = ANY(groups)", group) == 2
    removed = await bulk.bulk_action(pool, principal=rep, action="remove_from_group", group_id=group,
                                     flt=CustomerFilter(groups=[group]))
    assert removed["updated"] == 2 and await pool.fetchval("SELECT count(*) FROM customers WHERE groups <> '{}'") == 0


@pytest.mark.parametrize("kwargs, field, code", [
    ({"action": "add_labels", "labels": ["hot", "nope"]}, "labels.1", "unknown_label"),
    ({"action": "add_labels", "labels": []}, "labels", "required"),
    ({"action": "set_status", "status": "nope"}, "status", "unknown_status"),
    ({"action": "add_to_group", "group_id": uuid.uuid4()}, "group_id", "unknown_group"),
])
async def test_values_are_checked_against_the_configuration(pool, kwargs, field, code):
    rep = person()
    ids = await add(pool, 1, rep)
    with pytest.raises(Invalid) as caught:
        await bulk.bulk_action(pool, principal=rep, ids=ids, **kwargs)
    assert (caught.value.errors[0].field, caught.value.errors[0].code) == (field, code)


async def test_delete_needs_confirmation_and_hides_the_customers(pool):
    rep, rep2 = person(), person()
    mine, theirs = await add(pool, 3, rep), await add(pool, 1, rep2, viewers=[rep.user_id])
    with pytest.raises(Invalid) as caught:
        await bulk.bulk_action(pool, principal=rep, action="delete", ids=mine)
    assert caught.value.code == "confirmation_required"
    with pytest.raises(Invalid) as caught:
        await bulk.bulk_action(pool, principal=rep, action="delete", ids=mine, flt=CustomerFilter())
    assert caught.value.errors[0].code == "exactly_one_of"

    result = await bulk.bulk_action(pool, principal=rep, action="delete", confirm=True, ids=[*mine, *theirs])
    assert (result["matched"], result["updated"], result["skipped_not_editable"]) == (4, 3, 1)
    for customer_id in mine:
        assert await customer_store.get_visible(pool, customer_id=customer_id, principal=rep) is None
    row = await pool.fetchrow("SELECT deleted_at, deleted_by, version FROM customers WHERE id = $1", mine[0])
    assert row["deleted_by"] == rep.user_id and row["deleted_at"] is not None and row["version"] == 2
    [event] = await batch_events(pool, "customers.bulk_deleted")
    assert sorted(event["data"]["ids"]) == sorted(map(str, mine)) and event["data"]["deleted_by"] == str(rep.user_id)
    again = await bulk.bulk_action(pool, principal=rep, action="delete", confirm=True, ids=mine)
    assert (again["matched"], again["not_found"]) == (0, 3)  # deleted ones are gone for everyone


async def test_adding_a_temperature_label_takes_the_other_temperature_off(pool):
    rep = person()
    warm = await add(pool, 2, rep, labels=["warm", "premium"])
    hot = await add(pool, 1, rep, labels=["hot"])
    result = await bulk.bulk_action(pool, principal=rep, action="add_labels", labels=["hot"], ids=[*warm, *hot])
    assert (result["updated"], result["unchanged"]) == (2, 1)
    rows = {r["id"]: r["labels"] for r in await pool.fetch("SELECT id, labels FROM customers")}
    assert [rows[i] for i in warm] == [["premium", "hot"]] * 2 and rows[hot[0]] == ["hot"]
    [event] = await batch_events(pool, "customers.bulk_updated")
    assert event["data"]["labels"] == ["hot"]
    assert dict(zip(event["data"]["ids"], event["data"]["removed_labels"])) == {str(i): ["warm"] for i in warm}
    # two of one family in one action: the last one listed wins
    await bulk.bulk_action(pool, principal=rep, action="add_labels", labels=["hot", "cold"], ids=warm)
    assert {tuple(r["labels"]) for r in await pool.fetch("SELECT labels FROM customers WHERE id = ANY($1)", warm)} \
        == {("premium", "cold")}
