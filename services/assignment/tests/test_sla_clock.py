"""The speed-to-lead clock's rules (A-6), pure: deadlines, warnings, contacts, time to contact."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm_assignment.domain import sla

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_no_sla_no_clock():
    assert sla.clock(sla_minutes=None, warn_before_minutes=0, started_at=START) is None


def test_the_deadline_and_the_warning_count_from_the_start():
    clock = sla.clock(sla_minutes=60, warn_before_minutes=15, started_at=START)
    assert clock == sla.Clock(started_at=START, due_at=START + timedelta(minutes=60),
                              warn_at=START + timedelta(minutes=45))


def test_no_warning_when_warn_before_is_zero():
    clock = sla.clock(sla_minutes=3, warn_before_minutes=0, started_at=START)
    assert clock is not None and clock.warn_at is None and clock.due_at == START + timedelta(minutes=3)


def test_a_minute_may_last_less_in_tests():
    clock = sla.clock(sla_minutes=5, warn_before_minutes=2, started_at=START, minute=timedelta(seconds=2))
    assert clock is not None
    assert (clock.due_at, clock.warn_at) == (START + timedelta(seconds=10), START + timedelta(seconds=6))


def test_the_default_warning_is_a_quarter_of_the_sla():
    assert [sla.default_warn_before(m) for m in (1, 3, 4, 60, 43_200)] == [0, 0, 1, 15, 10_800]
    assert sla.warn_before_or_default(60, None) == 15
    assert sla.warn_before_or_default(60, 0) == 0
    assert sla.warn_before_or_default(None, None) == 0


def test_the_warning_comes_before_the_deadline():
    assert sla.warn_before_valid(60, 59) and sla.warn_before_valid(60, 0) and sla.warn_before_valid(60, None)
    assert not sla.warn_before_valid(60, 60)
    assert not sla.warn_before_valid(None, 5)  # a warning without an SLA
    assert sla.warn_before_valid(None, 0) and sla.warn_before_valid(None, None)


def test_what_counts_as_a_contact():
    assert all(sla.is_contact(t) for t in ("call_out", "call_in", "note", "comment", "care"))
    assert not any(sla.is_contact(t) for t in ("call_missed", "assigned", "recalled", "edited", "classified",
                                               "appointment", "support", "created"))


def test_within_sla_and_late():
    due = START + timedelta(minutes=30)
    assert sla.within_sla(contacted_at=due, due_at=due)
    assert not sla.within_sla(contacted_at=due + timedelta(seconds=1), due_at=due)
    assert not sla.within_sla(contacted_at=None, due_at=due)
    assert not sla.within_sla(contacted_at=START, due_at=None)


def test_minutes_to_contact():
    assert sla.minutes_to_contact(started_at=START, contacted_at=START + timedelta(minutes=7, seconds=30)) == 7.5
    assert sla.minutes_to_contact(started_at=START, contacted_at=START + timedelta(seconds=6),
                                  minute=timedelta(seconds=2)) == 3


def test_redistribution_keeps_a_strategy_that_deals_by_reps_alone():
    assert [sla.redistribution_strategy(s) for s in ("weighted", "least_loaded", "round_robin")] == [
        "weighted", "least_loaded", "round_robin"]
    assert [sla.redistribution_strategy(s) for s in ("quantities", "by_unit", "by_province", None)] == [
        "round_robin"] * 4


def test_an_assignments_deadline_is_its_earliest_open_uncontacted_one():
    due = [START + timedelta(minutes=m) for m in (10, 20, 30, 40)]
    customers = [{"state": "open", "contacted_at": START, "contact_due_at": due[0]},
                 {"state": "recalled", "contacted_at": None, "contact_due_at": due[0]},
                 {"state": "open", "contacted_at": None, "contact_due_at": due[2]},
                 {"state": "open", "contacted_at": None, "contact_due_at": due[1]},
                 {"state": "open", "contacted_at": None, "contact_due_at": None}]
    assert sla.earliest_due(customers) == due[1]
    assert sla.earliest_due(customers[:2]) is None
