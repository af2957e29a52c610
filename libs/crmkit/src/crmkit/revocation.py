"""Access tokens that stop working when their user changes, instead of when they expire.

An access token carries the user's roles and unit; it lives 15 minutes. When an admin deactivates
a user, takes a role away or moves them to another unit, the tokens issued before that change
must stop at once, not a quarter of an hour later. `TokenRevocations` keeps, for every user
changed within the last `window_seconds` (the longest access-token life, plus a margin), the time
of that change; a token issued before it is refused with 401 `token_revoked` (the client then
refreshes, and gets a token with the new roles — or, deactivated, nothing).

The map is reloaded every `interval_seconds` from the database with one small query (only users
changed within the window), so a check costs one dict lookup. Times compare to the millisecond
(the gateway's `iat_ms` claim); a token with only a whole-second `iat` counts as issued at the
start of that second.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta

import asyncpg

from crmkit.auth import Principal
from crmkit.logging import get_logger

log = get_logger(__name__)
Loader = Callable[[datetime], Awaitable[Iterable[tuple[uuid.UUID, datetime]]]]


class TokenRevocations:
    def __init__(self, load: Loader, *, window_seconds: float, interval_seconds: float = 1.0) -> None:
        self._load = load
        self.window = timedelta(seconds=window_seconds)
        self.interval_seconds = interval_seconds
        self._not_before: dict[uuid.UUID, float] = {}

    def allows(self, principal: Principal) -> bool:
        not_before = self._not_before.get(principal.user_id)
        return not_before is None or principal.issued_at >= not_before

    async def refresh(self) -> None:
        changed = await self._load(datetime.now(UTC) - self.window)
        self._not_before = {user_id: at.timestamp() for user_id, at in changed}

    async def run(self) -> None:
        """Reload forever; a failed reload keeps the last map (and is logged)."""
        while True:
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("token_revocations_refresh_failed", error=repr(exc))
            await asyncio.sleep(self.interval_seconds)


def from_directory(pool: asyncpg.Pool, *, window_seconds: float = 3600) -> TokenRevocations:
    """For the services: users changed according to the identity events (`directory_users`)."""
    async def load(since: datetime) -> list[tuple[uuid.UUID, datetime]]:
        rows = await pool.fetch("SELECT id, changed_at FROM directory_users WHERE changed_at > $1", since)
        return [(r["id"], r["changed_at"]) for r in rows]

    return TokenRevocations(load, window_seconds=window_seconds)
