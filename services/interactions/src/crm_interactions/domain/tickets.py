"""Pure rules of tickets and appointments: their state machines, input clean-up, Vietnamese local
time."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crmkit.domain_errors import Conflict, FieldError, Invalid

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

CARE_STATUSES = ("planned", "done", "cancelled")
SUPPORT_STATUSES = ("pending", "processing", "done", "cancelled")
SUPPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"processing", "cancelled"}),
    "processing": frozenset({"done", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
APPOINTMENT_STATUSES = ("planned", "done", "cancelled")
APPOINTMENT_TRANSITIONS = {"planned": ("done", "cancelled")}


def never(_current: dict[str, Any]) -> bool:
    return False


def always(_current: dict[str, Any]) -> bool:
    return True


def reassigning(values: dict[str, Any], fields: tuple[str, ...]) -> Callable[[dict[str, Any]], bool]:
    """Whether `values` change any of `fields` (who or which unit handles the ticket)."""
    return lambda current: any(name in values and values[name] != current[name] for name in fields)


def invalid_transition(current: str, target: str) -> Conflict:
    return Conflict("invalid_transition", params={"from": current, "to": target},
                    details={"from": current, "to": target})


def blank_problems(values: dict[str, Any], required: tuple[str, ...]) -> list[FieldError]:
    return [FieldError(name, "required") for name in required if name in values and values[name] is None]


def unprocessable(problems: list[FieldError]) -> Invalid:
    return Invalid(*problems)


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Trim texts; a text of only spaces counts as empty (None)."""
    out = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        out[name] = value
    return out


def local_day(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end of today in Vietnam (Asia/Ho_Chi_Minh), as aware datetimes."""
    today = (now or datetime.now(UTC)).astimezone(LOCAL_TIME).date()
    start = datetime.combine(today, time(), LOCAL_TIME)
    return start, start + timedelta(days=1)


def as_aware(value: datetime) -> datetime:
    """A time without an offset is Vietnamese local time (what the screens show)."""
    return value.replace(tzinfo=LOCAL_TIME) if value.tzinfo is None else value
