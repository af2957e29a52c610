from __future__ import annotations

import uuid
from datetime import datetime

from crmkit.errors import ProblemError
from crmkit.pagination import decode_cursor


def after_of(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The (created_at, id) a keyset page continues after; 400 for a cursor that is not ours."""
    position = decode_cursor(cursor)
    if position is None:
        return None
    try:
        return datetime.fromisoformat(position["t"]), uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise ProblemError(400, "invalid_cursor") from None


def cursor_of(row: dict) -> dict:
    return {"t": row["created_at"].isoformat(), "id": str(row["id"])}
