"""The job report's pure parts: minutes to one decimal, reps in username order with the totals
apart, zeros for a job without leads, a rep the directory does not know last."""
from __future__ import annotations

import uuid

from crm_assignment.domain.report import Tally, assemble, minutes


def test_minutes_to_one_decimal_and_none_stays_none():
    assert minutes(None) is None
    assert minutes(0) == 0.0
    assert minutes(90) == 1.5
    assert minutes(125) == 2.1  # 2.083…


def test_a_job_without_leads_reports_zeros():
    made = assemble([], {})
    assert made["reps"] == []
    assert made["totals"] == {"assigned": 0, "offered": 0, "accepted": 0, "declined": 0, "expired": 0,
                              "recalled": 0, "sla_missed": 0, "open": 0, "contacted_within_sla": 0,
                              "contacted_late": 0, "median_minutes_to_contact": None}


def test_reps_by_username_the_unknown_last_and_the_totals_row_apart():
    bao, an, ghost = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    names = {bao: {"username": "Bao", "full_name": "Trần Bảo"}, an: {"username": "an", "full_name": "Lê An"}}
    made = assemble([Tally(user_id=ghost, assigned=1), Tally(user_id=bao, assigned=2, contacted_within_sla=1,
                                                              median_seconds_to_contact=300),
                     Tally(user_id=None, assigned=6, median_seconds_to_contact=270), Tally(user_id=an, assigned=3)],
                    names)
    assert [(r["user_id"], r["username"], r["full_name"]) for r in made["reps"]] == [
        (an, "an", "Lê An"), (bao, "Bao", "Trần Bảo"), (ghost, None, None)]
    assert made["reps"][1]["median_minutes_to_contact"] == 5.0 and made["reps"][1]["contacted_within_sla"] == 1
    assert made["totals"]["assigned"] == 6 and made["totals"]["median_minutes_to_contact"] == 4.5
    assert "user_id" not in made["totals"]
