"""Lock-out after repeated failed logins (pure, no I/O)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int
    lock_seconds: int

    def after_failure(self, failed_logins: int, now: datetime) -> tuple[int, datetime | None]:
        """The new failure count and, when the limit is reached, the end of the lock."""
        failures = failed_logins + 1
        if failures >= self.max_failures:
            return 0, now + timedelta(seconds=self.lock_seconds)
        return failures, None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def seconds_left(locked_until: datetime, now: datetime) -> int:
    return max(1, math.ceil((locked_until - now).total_seconds()))
