"""A job's report (issue 13): what became of the leads handed over under it, per rep and in total.

The database counts (one grouped query, `store/reports.py`); the rules of what a lead counts as
are said here once, for the query and for the people who read the report:

- `assigned`: every lead handed to the rep under the job, one per assignment it was in: a lead
  recalled for a missed SLA and redistributed counts once for each rep it went to;
- `offered`: of them, those offered (not direct); `accepted`, `declined`, `expired`: the offers'
  outcomes (an offer still waiting is none of the three);
- `recalled`: taken back (`sla_missed`: of them, those the sweeper took for a missed deadline);
- `open`: still held or owned through the job;
- `contacted_within_sla`: first contacted at or before the deadline, or with no deadline at all
  (a job without SLA); `contacted_late`: first contacted after it;
- `median_minutes_to_contact`: from the rep owning the lead (a direct assignment: at once; an
  offer: at acceptance) to their first contact, over the contacted leads; null when none.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

COUNTS = ("assigned", "offered", "accepted", "declined", "expired", "recalled", "sla_missed", "open",
          "contacted_within_sla", "contacted_late")


def minutes(seconds: float | None) -> float | None:
    """A duration in minutes, to one decimal (a report is read, not computed with)."""
    return None if seconds is None else round(seconds / 60, 1)


@dataclass(frozen=True)
class Tally:
    """The counters of one rep (or of all: `user_id` None), as the query gives them."""
    user_id: uuid.UUID | None
    assigned: int = 0
    offered: int = 0
    accepted: int = 0
    declined: int = 0
    expired: int = 0
    recalled: int = 0
    sla_missed: int = 0
    open: int = 0
    contacted_within_sla: int = 0
    contacted_late: int = 0
    median_seconds_to_contact: float | None = None

    def public(self) -> dict[str, Any]:
        counts = {name: value for name, value in asdict(self).items() if name in COUNTS}
        return {**counts, "median_minutes_to_contact": minutes(self.median_seconds_to_contact)}


def assemble(tallies: list[Tally], names: dict[uuid.UUID, dict[str, Any]]) -> dict[str, Any]:
    """The report from the query's rows: one per rep, and the totals row (`user_id` None; absent
    when the job has no leads yet: zeros). Reps in the order people look them up, by username (a
    rep the directory does not know, last, by id); `names`: username and full name by user id."""
    totals = next((t for t in tallies if t.user_id is None), Tally(user_id=None))
    reps = [(t, names.get(t.user_id)) for t in tallies if t.user_id is not None]
    reps.sort(key=lambda rep: (rep[1] is None, (rep[1] or {}).get("username", "").lower(), str(rep[0].user_id)))
    return {
        "reps": [{"user_id": tally.user_id, "username": (name or {}).get("username"),
                  "full_name": (name or {}).get("full_name"), **tally.public()} for tally, name in reps],
        "totals": totals.public(),
    }
