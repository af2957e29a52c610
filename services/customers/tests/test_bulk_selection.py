"""A bulk selection is resolved once (a WITH HOLD cursor of ids), then each chunk checks the filter
and visibility again on the rows it locks: rows that left the selection meanwhile are not touched."""
from __future__ import annotations

import uuid

from crmkit.auth import Principal

from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers import bulk
from crm_customers.store import bulk as store

TEAM = "/r/b/t/"


def person(path: str = TEAM, *roles: str) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path=path,
                     roles=frozenset(roles or ("sales",)))


async def test_rows_leaving_the_selection_between_chunks_are_not_touched(pool, monkeypatch):
    rep, other = person(), person("/r/c/u/")
    ids = [r["id"] for r in await pool.fetch(
        "INSERT INTO customers (id, name, phone, owner_id, owner_unit_path, labels)"
        " SELECT gen_random_uuid(), 'Khách ' || g, '+8491' || lpad(g::text, 7, '0'), $1, $2, '{warm}'"
        " FROM generate_series(1, 6) g RETURNING id", rep.user_id, TEAM)]
    fetched: list[list[uuid.UUID]] = []
    next_ids = store.next_ids

    async def spying_next_ids(conn, limit, **kwargs):
        chunk = await next_ids(conn, limit, **kwargs)
        if len(fetched) == 1:  # after the first chunk: one row is handed over, one loses the label
            rest = [i for i in ids if i not in fetched[0]]
            await pool.execute("UPDATE customers SET owner_id = $2, owner_unit_path = '/r/c/u/' WHERE id = $1",
                               rest[0], other.user_id)
            await pool.execute("UPDATE customers SET labels = '{}' WHERE id = $1", rest[1])
        fetched.append(chunk)
        return chunk

    monkeypatch.setattr(store, "next_ids", spying_next_ids)
    result = await bulk.bulk_action(pool, principal=rep, action="add_labels", labels=["hot"],
                                    flt=CustomerFilter(labels=["warm"]), chunk_size=2)
    assert sorted(i for chunk in fetched for i in chunk) == sorted(ids)  # resolved once: all 6 ids
    assert (result["matched"], result["updated"]) == (4, 4)
    labels = {r["id"]: r["labels"] for r in await pool.fetch("SELECT id, labels FROM customers")}
    assert sum(1 for v in labels.values() if "hot" in v) == 4
    # the cursor is closed: a new action on the same connection declares it again
    again = await bulk.bulk_action(pool, principal=rep, action="remove_labels", labels=["hot"],
                                   flt=CustomerFilter(labels=["hot"]))
    assert again["updated"] == 4
