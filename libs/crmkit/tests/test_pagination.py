"""Opaque keyset cursors (no I/O); an invalid cursor is a 400 `invalid_cursor` problem."""
from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI

from crmkit import errors
from crmkit.errors import ProblemError
from crmkit.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_of


def test_cursor_round_trip():
    row_id = uuid.uuid4()
    at = datetime(2025, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    cursor = encode_cursor({"created_at": at, "id": row_id, "n": 5, "name": "Đặng"})
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor  # URL safe, no padding
    decoded = decode_cursor(cursor)
    assert decoded == {"created_at": at.isoformat(), "id": str(row_id), "n": 5, "name": "Đặng"}
    assert datetime.fromisoformat(decoded["created_at"]) == at
    assert decode_cursor(None) is None
    assert decode_cursor("") is None


@pytest.mark.parametrize("bad", [
    "not-a-cursor", "%%%", "abc", "!!!!",
    base64.urlsafe_b64encode(b"[1, 2]").decode(),    # JSON, but not an object
    base64.urlsafe_b64encode(b'"text"').decode(),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
])
def test_invalid_cursor_is_a_400_problem(bad):
    with pytest.raises(ProblemError) as info:
        decode_cursor(bad)
    assert info.value.status == 400
    assert info.value.code == "invalid_cursor"


def test_page_of():
    rows = [{"id": i} for i in range(6)]
    items, cursor = page_of(rows, 5, lambda r: {"id": r["id"]})
    assert items == rows[:5]
    assert decode_cursor(cursor) == {"id": 4}
    items, cursor = page_of(rows[:5], 5, lambda r: {"id": r["id"]})
    assert items == rows[:5] and cursor is None
    assert page_of([], 5, lambda r: r) == ([], None)


async def test_invalid_cursor_through_http():
    app = FastAPI()
    errors.install_handlers(app)

    @app.get("/things", response_model=Page[int])
    async def things(limit: Limit = 2, cursor: Cursor = None):
        start = (decode_cursor(cursor) or {}).get("after", 0)
        rows = list(range(start, min(start + limit + 1, 5)))
        items, next_cursor = page_of(rows, limit, lambda r: {"after": r + 1})
        return Page[int](items=items, next_cursor=next_cursor)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        seen, cursor = [], None
        for _ in range(10):
            response = await client.get("/things", params={"cursor": cursor} if cursor else {})
            assert response.status_code == 200
            page = response.json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == [0, 1, 2, 3, 4]

        response = await client.get("/things", params={"cursor": "garbage!"})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "invalid_cursor"

        response = await client.get("/things", params={"limit": 1000})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "limit"
        assert response.json()["errors"][0]["code"] == "out_of_range"


def test_time_id_cursors_round_trip_and_refuse_foreign_ones():
    import uuid
    from datetime import UTC, datetime

    from crmkit.errors import ProblemError
    from crmkit.pagination import encode_cursor, time_id_after, time_id_cursor

    row = {"id": uuid.uuid4(), "created_at": datetime(2026, 11, 23, 7, 0, tzinfo=UTC)}
    assert time_id_after(encode_cursor(time_id_cursor(row))) == (row["created_at"], row["id"])
    assert time_id_after(None) is None
    for foreign in (encode_cursor({"x": 1}), encode_cursor({"t": "yesterday", "id": "nope"})):
        try:
            time_id_after(foreign)
        except ProblemError as problem:
            assert (problem.status, problem.code) == (400, "invalid_cursor")
        else:
            raise AssertionError("a foreign cursor was accepted")
