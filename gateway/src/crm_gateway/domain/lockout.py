"""Back-off after repeated failed logins of one username from one client (pure, no I/O).

Failures are counted per (username, client address), never per account alone: a stranger who
guesses wrong passwords for someone makes only their own address wait, not the user.
"""
from __future__ import annotations

from dataclasses import dataclass

OUTCOMES = ("success", "wrong_password", "unknown_user", "inactive", "no_password", "blocked")


@dataclass(frozen=True)
class BackoffPolicy:
    free_failures: int  # consecutive failures answered 401 before the first wait
    base_seconds: int
    max_seconds: int

    def wait_after(self, failures: int) -> int:
        """Seconds the pair waits after its `failures`-th consecutive failure (0: none), doubling
        from `base_seconds` at `free_failures` up to `max_seconds`."""
        if failures < self.free_failures:
            return 0
        doubling: int = 2 ** min(failures - self.free_failures, 32)
        return min(self.max_seconds, self.base_seconds * doubling)


def failure_outcome(*, user_exists: bool, has_password: bool, password_matches: bool, active: bool) -> str | None:
    """Why a login fails (None: it succeeds). Every failure answers the same 401 to the client;
    the outcome is for the audit only. A deactivated account fails even with the right password,
    and answers exactly like a wrong one (no password oracle)."""
    if not user_exists:
        return "unknown_user"
    if not has_password:
        return "no_password"  # service accounts sign in with API keys only
    if not password_matches:
        return "wrong_password"
    return None if active else "inactive"
