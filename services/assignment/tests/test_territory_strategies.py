"""The territory strategies (A-3, issue 13): by the owner's unit, by the province's unit. Pure:
the same selection, reps and map give the same shares."""
from __future__ import annotations

import uuid

import pytest

from crm_assignment.domain.distribution import CannotDistribute, Rep, by_province, by_unit, works_in

ROOT, HANOI, SAIGON, TEAM_HN = (uuid.UUID(int=i) for i in range(1, 5))
HN_PATH = f"/{ROOT}/{HANOI}/"
SG_PATH = f"/{ROOT}/{SAIGON}/"
TEAM_PATH = f"/{ROOT}/{HANOI}/{TEAM_HN}/"
hn1, hn2 = Rep(uuid.UUID(int=101), unit_path=HN_PATH), Rep(uuid.UUID(int=102), unit_path=TEAM_PATH)
sg1 = Rep(uuid.UUID(int=201), unit_path=SG_PATH)
REPS = [hn1, hn2, sg1]
CUSTOMERS = [uuid.UUID(int=1000 + i) for i in range(7)]


def test_a_rep_works_in_a_unit_or_below_it():
    assert works_in(hn2, HANOI) and works_in(hn2, TEAM_HN) and works_in(hn1, HANOI) and works_in(hn1, ROOT)
    assert not works_in(hn1, TEAM_HN) and not works_in(sg1, HANOI) and not works_in(Rep(uuid.uuid4()), ROOT)


def test_by_unit_turns_within_the_unit_and_falls_back_to_everyone():
    units = {CUSTOMERS[0]: HANOI, CUSTOMERS[1]: HANOI, CUSTOMERS[2]: HANOI, CUSTOMERS[3]: TEAM_HN,
             CUSTOMERS[4]: SAIGON, CUSTOMERS[5]: uuid.UUID(int=99), CUSTOMERS[6]: None}
    shares, fallback = by_unit(CUSTOMERS, REPS, owner_units=units)
    assert shares == {hn1.user_id: [CUSTOMERS[0], CUSTOMERS[2], CUSTOMERS[5]],
                      hn2.user_id: [CUSTOMERS[1], CUSTOMERS[3], CUSTOMERS[6]],
                      sg1.user_id: [CUSTOMERS[4]]}
    assert fallback == 2  # an unknown unit and no unit: in turn among all three (hn1, then hn2)
    assert by_unit(CUSTOMERS, REPS, owner_units=units) == (shares, fallback)  # deterministic
    assert sum(map(len, shares.values())) == len(CUSTOMERS)


def test_by_province_deals_the_covered_and_reports_the_rest():
    provinces = {CUSTOMERS[0]: 1, CUSTOMERS[1]: 1, CUSTOMERS[2]: 79, CUSTOMERS[3]: 48, CUSTOMERS[4]: None,
                 CUSTOMERS[5]: 1, CUSTOMERS[6]: 31}
    territories = {1: HANOI, 79: SAIGON, 31: TEAM_HN, 48: uuid.UUID(int=77)}  # Đà Nẵng: a unit without reps here
    shares, uncovered = by_province(CUSTOMERS, REPS, provinces=provinces, territories=territories)
    assert shares == {hn1.user_id: [CUSTOMERS[0], CUSTOMERS[5]], hn2.user_id: [CUSTOMERS[1], CUSTOMERS[6]],
                      sg1.user_id: [CUSTOMERS[2]]}
    assert uncovered == [CUSTOMERS[3], CUSTOMERS[4]]
    assert by_province(CUSTOMERS, REPS, provinces=provinces, territories=territories) == (shares, uncovered)


def test_nothing_covered_is_refused():
    with pytest.raises(CannotDistribute) as refused:
        by_province(CUSTOMERS, REPS, provinces={c: 79 for c in CUSTOMERS}, territories={1: HANOI})
    assert refused.value.code == "nothing_covered" and refused.value.params == {"selected": len(CUSTOMERS)}
