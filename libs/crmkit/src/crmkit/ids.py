"""Time-ordered ids (UUIDv7, RFC 9562) for rows written in bulk: new rows land at the right edge
of a B-tree index instead of on random pages, so a million-row import or batch touches far fewer
pages than with random UUIDv4 ids. Any service that creates many rows keyed by id uses these."""
from __future__ import annotations

import uuid

from uuid_utils.compat import uuid7

_COUNTER_BITS = 20


def new_id() -> uuid.UUID:
    """One UUIDv7."""
    return uuid7()


def new_ids(count: int) -> list[str]:
    """`count` increasing UUIDv7s as hex text (asyncpg and PostgreSQL take it as a uuid without a
    UUID object per id): one fresh UUIDv7 whose low 20 random bits count up, RFC 9562's
    "monotonic random" method."""
    if not 0 <= count <= 1 << _COUNTER_BITS:
        raise ValueError(f"count must be within 0..{1 << _COUNTER_BITS}")
    base = uuid7().int & ~((1 << _COUNTER_BITS) - 1)
    return ["%032x" % (base + k) for k in range(count)]
