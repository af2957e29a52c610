"""How a selection is divided (A-3): pure functions, deterministic for the same input and state."""
import uuid

import pytest

from crmkit.domain_errors import Invalid

from crm_assignment.domain.distribution import CannotDistribute, Rep, by_quantities, distribute

A, B, C = (uuid.UUID(int=i) for i in (1, 2, 3))
CUSTOMERS = [uuid.UUID(int=100 + i) for i in range(10)]


def sizes(shares):
    return {user: len(ids) for user, ids in shares.items()}


def test_quantities_must_add_up_and_slice_in_order():
    shares = by_quantities(CUSTOMERS, [(A, 3), (B, 7)])
    assert shares == {A: CUSTOMERS[:3], B: CUSTOMERS[3:]}
    with pytest.raises(CannotDistribute) as refused:
        by_quantities(CUSTOMERS, [(A, 3), (B, 6)])
    assert refused.value.code == "quantities_mismatch" and refused.value.params == {"selected": 10, "assigned": 9}
    # refused in the domain's words: a 422 whose params are also the problem's members
    assert isinstance(refused.value, Invalid) and refused.value.details == {"selected": 10, "assigned": 9}


def test_round_robin_continues_after_the_last_rep():
    reps = [Rep(A), Rep(B), Rep(C)]
    first = distribute(CUSTOMERS[:4], reps=reps, strategy="round_robin")
    assert first == {A: [CUSTOMERS[0], CUSTOMERS[3]], B: [CUSTOMERS[1]], C: [CUSTOMERS[2]]}
    then = distribute(CUSTOMERS[4:6], reps=reps, strategy="round_robin", after=A)
    assert then == {B: [CUSTOMERS[4]], C: [CUSTOMERS[5]]}
    assert distribute(CUSTOMERS[4:6], reps=reps, strategy="round_robin", after=A) == then  # deterministic


def test_weighted_shares_follow_the_weights():
    shares = distribute(CUSTOMERS, reps=[Rep(A, weight=3), Rep(B, weight=1), Rep(C, weight=1)], strategy="weighted")
    assert sizes(shares) == {A: 6, B: 2, C: 2}
    assert sorted(i for ids in shares.values() for i in ids) == sorted(CUSTOMERS)


def test_least_loaded_fills_the_emptiest_and_respects_capacity():
    reps = [Rep(A, open_leads=5), Rep(B, open_leads=0, capacity=3), Rep(C, open_leads=2)]
    shares = distribute(CUSTOMERS[:6], reps=reps, strategy="least_loaded")
    assert sizes(shares) == {B: 3, C: 3}  # B fills to its capacity, C reaches A's load
    with pytest.raises(CannotDistribute) as refused:
        distribute(CUSTOMERS, reps=[Rep(A, capacity=2), Rep(B, capacity=3)], strategy="least_loaded")
    assert refused.value.code == "capacity_exceeded" and refused.value.params["room"] == 5
