"""The customer-rows wire format (issue 13): what PostgreSQL packs is what the reader gets back."""
from __future__ import annotations

import uuid

import orjson

from crmkit import customer_rows


def packed(customer_id: uuid.UUID, owner_id: uuid.UUID | None, unit_id: uuid.UUID | None, province: int | None,
           version: int) -> bytes:
    none = bytes(16)
    return customer_rows.ROW.pack(customer_id.bytes, owner_id.bytes if owner_id else none,
                                  unit_id.bytes if unit_id else none, province or 0, version)


def test_rows_round_trip_with_each_unit_path_said_once():
    unit, owner = uuid.uuid4(), uuid.uuid4()
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    body = customer_rows.encode(orjson.dumps({str(unit): f"/r/{unit}/"}).decode(),
                                packed(a, owner, unit, 79, 3) + packed(b, None, None, None, 1) + packed(c, owner, unit, 1, 2))
    assert customer_rows.count(body) == 3 and customer_rows.matched(body) == 3
    rows = customer_rows.decode(body)
    assert rows == [(a, owner, unit, f"/r/{unit}/", 79, 3), (b, None, None, None, None, 1),
                    (c, owner, unit, f"/r/{unit}/", 1, 2)]
    assert rows[0].owner_unit_path == f"/r/{unit}/" and isinstance(rows[0].id, uuid.UUID)
    assert {rows[0].id: 1}[a] == 1  # equal and hashed as uuid.UUID


def test_an_empty_selection():
    body = customer_rows.encode("{}", b"")
    assert customer_rows.count(body) == 0 and customer_rows.decode(body) == []


def test_more_matched_than_held():
    body = customer_rows.encode("{}", packed(uuid.uuid4(), None, None, None, 1), matched=250_000)
    assert customer_rows.count(body) == 1 and customer_rows.matched(body) == 250_000
