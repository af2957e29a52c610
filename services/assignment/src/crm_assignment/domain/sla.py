"""The speed-to-lead clock (A-6), as pure rules: when a lead's holder must have contacted the
customer, when they are warned, what counts as a contact and how long it took. No I/O: the
handlers (handlers/sla.py) apply them, the store (store/sla.py) keeps the times.

A job's SLA is written in minutes; `minute` is how long one of them lasts in real time (a minute,
except in the test stack where it lasts two seconds so that a deadline passes within a test)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

MAX_SLA_MINUTES = 43_200  # 30 days

# timeline entries of the interactions service that are a contact with the customer: a call made
# or answered (a missed call is not), a note, a comment, a care ticket done (`care`)
CONTACT_TYPES = frozenset({"call_out", "call_in", "note", "comment", "care"})

SLA_MISSED = "sla_missed"  # recall_reason (and the recall event's `reason`) of the sweeper's recalls


@dataclass(frozen=True)
class Clock:
    """A lead's deadlines from the moment its rep owns it: `due_at`; `warn_at` (None: no warning)."""
    started_at: datetime
    due_at: datetime
    warn_at: datetime | None


def default_warn_before(sla_minutes: int) -> int:
    """A quarter of the SLA before the deadline (0 for SLAs under 4 minutes: no warning)."""
    return sla_minutes // 4


def warn_before_or_default(sla_minutes: int | None, warn_before_minutes: int | None) -> int:
    """What a job stores: the given warning lead time, else the default (0 without an SLA)."""
    if sla_minutes is None:
        return 0
    return default_warn_before(sla_minutes) if warn_before_minutes is None else warn_before_minutes


def warn_before_valid(sla_minutes: int | None, warn_before_minutes: int | None) -> bool:
    """0 ≤ warn < sla; a warning lead time without an SLA is meaningless (only 0 or none)."""
    if warn_before_minutes is None:
        return True
    if sla_minutes is None:
        return warn_before_minutes == 0
    return 0 <= warn_before_minutes < sla_minutes


def clock(*, sla_minutes: int | None, warn_before_minutes: int, started_at: datetime,
          minute: timedelta = timedelta(minutes=1)) -> Clock | None:
    """The clock of a lead owned from `started_at` under a job with this SLA; None without one."""
    if sla_minutes is None:
        return None
    due_at = started_at + sla_minutes * minute
    warn_at = due_at - warn_before_minutes * minute if warn_before_minutes > 0 else None
    return Clock(started_at=started_at, due_at=due_at, warn_at=warn_at)


def is_contact(entry_type: str) -> bool:
    """Whether a timeline entry of the lead's holder is a contact with the customer (whose it is,
    and from when it counts — at or after the clock's start — the store checks in the same
    statement that records it)."""
    return entry_type in CONTACT_TYPES


def within_sla(*, contacted_at: datetime | None, due_at: datetime | None) -> bool:
    """Contacted by the deadline (a contact after it, recorded before the sweep, is late)."""
    return contacted_at is not None and due_at is not None and contacted_at <= due_at


def minutes_to_contact(*, started_at: datetime, contacted_at: datetime,
                       minute: timedelta = timedelta(minutes=1)) -> float:
    """How long the first contact took, in SLA minutes."""
    return (contacted_at - started_at) / minute


# strategies that deal leads among reps from the reps alone (distribution.distribute)
REDEALT_STRATEGIES = ("round_robin", "weighted", "least_loaded")


def redistribution_strategy(last_strategy: str | None) -> str:
    """How a missed lead is dealt again: the job's last strategy when it deals leads among reps
    by itself; explicit quantities (whose counts named the first distribution's selection) and
    territories (whose reps may all be gone from the unit) fall back to round-robin."""
    return last_strategy if last_strategy in REDEALT_STRATEGIES else "round_robin"


def earliest_due(customers: list[dict[str, Any]]) -> datetime | None:
    """An assignment's next deadline: the earliest among its open leads not yet contacted."""
    return min((c["contact_due_at"] for c in customers if c["state"] == "open" and c["contacted_at"] is None
                and c["contact_due_at"] is not None), default=None)
