"""Opaque keyset cursors (no I/O); an invalid cursor is a 400 `invalid_cursor` problem."""
from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from crmkit import errors
from crmkit.domain_errors import BadRequest
from crmkit.pagination import Cursor, IdPosition, Limit, Page, TimeId, decode_cursor, encode_cursor, page_of


class Position(BaseModel):
    created_at: datetime
    id: uuid.UUID
    n: int
    name: str


class After(BaseModel):
    after: int = 0


def test_cursor_round_trip():
    row_id = uuid.uuid4()
    at = datetime(2025, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    cursor = encode_cursor({"created_at": at, "id": row_id, "n": 5, "name": "Đặng"})
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor  # URL safe, no padding
    assert decode_cursor(cursor, Position) == Position(created_at=at, id=row_id, n=5, name="Đặng")
    assert decode_cursor(None, Position) is None
    assert decode_cursor("", Position) is None


@pytest.mark.parametrize("bad", [
    "not-a-cursor", "%%%", "abc", "!!!!",
    base64.urlsafe_b64encode(b"[1, 2]").decode(),    # JSON, but not an object
    base64.urlsafe_b64encode(b'"text"').decode(),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
    base64.urlsafe_b64encode(b"{not json").decode(),
    encode_cursor({"t": "x"}),                        # the shape's fields missing
    encode_cursor({"t": "yesterday", "id": "nope"}),  # of the wrong type
    encode_cursor({"t": 1.5, "id": 7}),
    encode_cursor({"t": "2026-11-23T07:00:00+00:00", "id": str(uuid.uuid4()), "x": "a\x00"}),  # text PG refuses
    base64.urlsafe_b64encode(b'{"t": "\\ud800"}').decode(),
])
def test_an_invalid_cursor_is_refused_as_a_bad_request(bad):
    with pytest.raises(BadRequest) as info:
        decode_cursor(bad, TimeId)
    assert info.value.code == "invalid_cursor"


def test_page_of():
    rows = [{"id": i} for i in range(6)]
    items, cursor = page_of(rows, 5, lambda r: {"id": r["id"]})
    assert items == rows[:5]
    assert decode_cursor(cursor, IdPosition) == IdPosition(id=4)
    items, cursor = page_of(rows[:5], 5, lambda r: {"id": r["id"]})
    assert items == rows[:5] and cursor is None
    assert page_of([], 5, lambda r: r) == ([], None)


async def test_invalid_cursor_through_http():
    app = FastAPI()
    errors.install_handlers(app)

    @app.get("/things", response_model=Page[int])
    async def things(limit: Limit = 2, cursor: Cursor = None):
        start = (decode_cursor(cursor, After) or After()).after
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

    from crmkit.domain_errors import BadRequest
    from crmkit.pagination import encode_cursor, time_id_after, time_id_cursor

    row = {"id": uuid.uuid4(), "created_at": datetime(2026, 11, 23, 7, 0, tzinfo=UTC)}
    assert time_id_after(encode_cursor(time_id_cursor(row))) == (row["created_at"], row["id"])
    assert time_id_after(None) is None
    for foreign in (encode_cursor({"x": 1}), encode_cursor({"t": "yesterday", "id": "nope"})):
        try:
            time_id_after(foreign)
        except BadRequest as problem:
            assert problem.code == "invalid_cursor"
        else:
            raise AssertionError("a foreign cursor was accepted")


@pytest.mark.parametrize("bad", [{"id": 2**63}, {"id": "x"}, {"id": None}, {}])
def test_an_id_position_fits_a_bigint(bad):
    with pytest.raises(BadRequest) as info:
        decode_cursor(encode_cursor(bad), IdPosition)
    assert info.value.code == "invalid_cursor"
