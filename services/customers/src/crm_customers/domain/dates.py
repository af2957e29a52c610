"""Calendar dates as people write them in Vietnam: ISO `yyyy-mm-dd` and day-first `dd/mm/yyyy`
(also `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`). Two-digit years are refused as ambiguous."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from crm_customers.domain.errors import RuleViolation

EARLIEST = date(1900, 1, 1)
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")  # no daylight saving time in Vietnam

_YEAR_FIRST = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})", re.ASCII)


class InvalidDate(RuleViolation):
    code = "invalid_date"


class DateTooEarly(InvalidDate):
    code = "date_too_early"


class DateInFuture(InvalidDate):
    code = "date_in_future"


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM_TZ).date()


def _parse_text(text: str) -> date:
    if match := _YEAR_FIRST.fullmatch(text):
        year, _, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, _, month, year = match.groups()
    else:
        raise InvalidDate(text)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise InvalidDate(text) from None


def calendar_date(text: str) -> date | None:
    """The date `text` writes in one of the accepted forms, or None."""
    try:
        return _parse_text(text.strip())
    except InvalidDate:
        return None


def _as_date(raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and len(raw) <= 32:
        return _parse_text(raw.strip())
    raise InvalidDate(raw)


def parse_date(raw: object, *, past_only: bool = False, today: date | None = None) -> date:
    """A real date from 1900-01-01 on (and not after today when `past_only`), else InvalidDate."""
    value = _as_date(raw)
    if value < EARLIEST:
        raise DateTooEarly(raw, min=EARLIEST.isoformat())
    if past_only and value > (today or today_in_vietnam()):
        raise DateInFuture(raw)
    return value


def parse_birthday(raw: object, *, today: date | None = None) -> date:
    return parse_date(raw, past_only=True, today=today)
