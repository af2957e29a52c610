"""Keyset pagination: opaque cursors holding the sort key of the last row, `{items, next_cursor}`."""
from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from crmkit.errors import ProblemError

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


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except Exception:
        raise ProblemError(400, "invalid_cursor") from None
    if not isinstance(value, dict):
        raise ProblemError(400, "invalid_cursor")
    return value


def page_of(rows: list[T], limit: int, cursor_of) -> tuple[list[T], str | None]:
    """Rows were fetched with LIMIT limit+1: trim and build the next cursor from the last kept row."""
    if len(rows) <= limit:
        return rows, None
    kept = rows[:limit]
    return kept, encode_cursor(cursor_of(kept[-1]))


def time_id_after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The (time, id) a list sorted newest first by (time, id) continues after; 400 for a
    cursor that does not hold one."""
    position = decode_cursor(cursor)
    if position is None:
        return None
    try:
        return datetime.fromisoformat(position["t"]), uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise ProblemError(400, "invalid_cursor") from None


def time_id_cursor(row: dict[str, Any], column: str = "created_at") -> dict[str, str]:
    """The cursor values of `row` for `time_id_after`."""
    return {"t": row[column].isoformat(), "id": str(row["id"])}
