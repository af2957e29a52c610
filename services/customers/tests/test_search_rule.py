"""Which plan a name search takes (store.selection._how_many), with a fake connection that
answers the planner's estimate and the table's size: the ids first up to √(200 × rows), never
below 1,000 (docs/benchmarks.md, "Search" → "6."); above 1,000 a walk of the newest rows first."""
from __future__ import annotations

import json
import math

import pytest

from crm_customers.store import selection


class FakeConnection:
    def __init__(self, estimate: int, rows: float) -> None:
        self.estimate, self.rows, self.asked = estimate, rows, []

    async def fetchval(self, sql: str, *args):
        self.asked.append(sql)
        if sql.startswith("EXPLAIN"):
            return json.dumps([{"Plan": {"Plan Rows": self.estimate}}])
        return self.rows


@pytest.mark.parametrize(("estimate", "rows", "how_many"), [
    (900, 10_000_000, "few"),      # under the floor: the table's size is not even read
    (1_001, 0, "many"),            # an empty or never analysed table (reltuples 0 or -1)
    (1_001, -1, "many"),
    (14_000, 1_000_000, "some"),   # √(200 × 1M) ≈ 14,142
    (15_000, 1_000_000, "many"),
    (44_000, 10_000_000, "some"),  # √(200 × 10M) ≈ 44,721: the common pairs at 10M take the ids
    (46_000, 10_000_000, "many"),
])
async def test_the_ids_first_band_grows_with_the_table(estimate, rows, how_many):
    conn = FakeConnection(estimate, rows)
    kind, spacing = await selection._how_many(conn, ["le", "minh"])
    assert kind == how_many
    assert spacing == (math.inf if how_many == "few" else max(rows, estimate) / estimate)
    assert len(conn.asked) == (1 if estimate <= selection.FEW_MATCHES_MIN else 2)


@pytest.mark.parametrize(("q", "whole", "newest_first"), [
    ("0173", False, True),           # a suffix of 4 or 5 digits: maybe more matches than a page
    ("40013", False, True),
    ("513543", False, False),        # 6 digits: ~1 customer in a million
    ("1900 1234", True, False),      # 8 digits and more may be a whole number
    ("0912 340 013", True, False),
    ("01683 456 789", True, False),  # a legacy prefix: only the whole number finds it (038…)
])
async def test_a_phone_query_reads_the_whole_number_and_the_suffix(q, whole, newest_first):
    params = selection.Params()
    rule = await selection.search_rule(FakeConnection(0, 0), q, params)
    assert rule is not None and rule.ids_first and "phone_rev LIKE" in rule.condition
    assert (rule.phone is not None) == whole
    assert rule.many_phones == newest_first
