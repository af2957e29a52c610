"""Keyset pagination: opaque cursors holding the sort key of the last row, `{items, next_cursor}`."""
from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel, Field

from crmkit import text
from crmkit.domain_errors import BadRequest

T = TypeVar("T")
MAX_LIMIT = 200
DEFAULT_LIMIT = 50

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Cursor = Annotated[str | None, Query(max_length=2048, description="opaque cursor from next_cursor")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values, default=str)).decode().rstrip("=")


class TimeId(BaseModel):
    """The position in a list sorted by (time, id): the cursor of `time_id_cursor`."""
    t: datetime
    id: uuid.UUID


class IdPosition(BaseModel):
    """The position in a list sorted by a bigint id."""
    id: int = Field(ge=-2**63, lt=2**63)


P = TypeVar("P", bound=BaseModel)


def decode_cursor(cursor: str | None, shape: type[P]) -> P | None:
    """The position a cursor holds, as `shape` says it must be (None without a cursor). Every list
    reads its cursor here, so that whatever a client makes of one (not base64, not JSON, not an
    object, fields missing or of the wrong type, text PostgreSQL refuses) is 400 `invalid_cursor`."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(value, dict) or any(text.invalid_fields(value)):
            raise ValueError(cursor)
        return shape.model_validate(value)
    except (ValueError, TypeError):  # binascii, orjson and pydantic errors are ValueErrors
        raise BadRequest("invalid_cursor") from None


def page_of(rows: list[T], limit: int, cursor_of: Callable[[T], dict[str, Any]]) -> tuple[list[T], str | None]:
    """Rows were fetched with LIMIT limit+1: trim and build the next cursor from the last kept row."""
    if len(rows) <= limit:
        return rows, None
    kept = rows[:limit]
    return kept, encode_cursor(cursor_of(kept[-1]))


def time_id_after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The (time, id) a list sorted newest first by (time, id) continues after."""
    position = decode_cursor(cursor, TimeId)
    return (position.t, position.id) if position else None


def time_id_cursor(row: dict[str, Any], column: str = "created_at") -> dict[str, str]:
    """The cursor values of `row` for `time_id_after`."""
    return {"t": row[column].isoformat(), "id": str(row["id"])}
