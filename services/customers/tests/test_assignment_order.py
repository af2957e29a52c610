"""A-7: assignment events carry a service-wide `sequence`; applied out of order (a recall of one
assignment and a new distribution of the same customer travel on different partitions), the
customers service skips, per customer, an event older than the last one it applied — including
when both go to the same rep, and for offers and declines."""
from __future__ import annotations

import uuid

from crm_customers.handlers.customers import create_customer, get_customer

from .test_assignment_consumer import ADMIN, assignment, feed, published, user


async def _customers(pool, owner, count: int) -> list[uuid.UUID]:
    return [(await create_customer(pool, principal=owner, name=f"Thứ tự {i}", phone=f"0912{uuid.uuid4().int % 10**6:06d}"))["id"]
            for i in range(count)]


async def _owner_holder(pool, customer_id: uuid.UUID) -> tuple:
    row = await get_customer(pool, principal=ADMIN, customer_id=customer_id)
    return row["owner_id"], row["holder_id"]


def _recall(rep, ids, assignment_id, previous, sequence) -> object:
    return assignment("assignment.recalled", rep.user_id, ids, assignment_id, sequence=sequence,
                      previous_owner_ids={str(c): str(previous.user_id) for c in ids})


async def test_a_redistribution_to_the_same_rep_survives_the_older_recall_arriving_last(pool):
    """direct A (1) → recall A (2) → direct B to the same rep (3), delivered 1, 3, 2: without the
    sequence the late recall would take the customer from the rep who holds it through B."""
    previous, rep = await user(pool, "/o/b1/"), await user(pool, "/o/b2/")
    ids = await _customers(pool, previous, 2)
    first, second = uuid.uuid4(), uuid.uuid4()
    await feed(pool, assignment("assignment.direct", rep.user_id, ids, first, sequence=1))
    await feed(pool, assignment("assignment.direct", rep.user_id, ids, second, sequence=3))
    assert await feed(pool, _recall(rep, ids, first, previous, 2)) is True  # handled (inbox), a no-op
    for customer_id in ids:
        assert await _owner_holder(pool, customer_id) == (rep.user_id, rep.user_id)
    reasons = [b["data"]["reason"] for b in await published(pool, "customers.bulk_owner_changed")]
    assert reasons == ["assignment.direct"]  # B moved nothing (same rep), the recall was skipped: no timeline line


async def test_a_recall_arriving_before_the_distribution_it_undoes_wins(pool):
    """direct A (1) → recall A (2), delivered 2, 1: the recall leaves the customer alone (the rep
    does not own it yet) but remembers its number, so the late distribution is skipped."""
    previous, rep = await user(pool, "/o/b1/"), await user(pool, "/o/b3/")
    [customer_id] = await _customers(pool, previous, 1)
    job = uuid.uuid4()
    await feed(pool, _recall(rep, [customer_id], job, previous, 2))
    await feed(pool, assignment("assignment.direct", rep.user_id, [customer_id], job, sequence=1))
    assert await _owner_holder(pool, customer_id) == (previous.user_id, None)
    assert await published(pool, "customers.bulk_owner_changed") == []


async def test_a_late_decline_does_not_release_a_newer_offer_to_the_same_rep(pool):
    """offer A (1) → decline A (2) → offer B to the same rep (3), delivered 1, 3, 2: the rep keeps
    holding the customer for B."""
    previous, rep = await user(pool, "/o/b1/"), await user(pool, "/o/b4/")
    ids = await _customers(pool, previous, 2)
    first, second = uuid.uuid4(), uuid.uuid4()
    await feed(pool, assignment("assignment.offered", rep.user_id, ids, first, sequence=1))
    await feed(pool, assignment("assignment.offered", rep.user_id, ids, second, sequence=3))
    await feed(pool, assignment("assignment.declined", rep.user_id, ids, first, sequence=2))
    for customer_id in ids:
        assert await _owner_holder(pool, customer_id) == (previous.user_id, rep.user_id)


async def test_a_late_offer_does_not_take_back_a_customer_another_rep_accepted(pool):
    """offer A to one rep (1) → expired (2) → direct B to another rep (3), delivered 3, 1, 2."""
    previous, rep, other = await user(pool, "/o/b1/"), await user(pool, "/o/b5/"), await user(pool, "/o/b6/")
    [customer_id] = await _customers(pool, previous, 1)
    first, second = uuid.uuid4(), uuid.uuid4()
    await feed(pool, assignment("assignment.direct", other.user_id, [customer_id], second, sequence=3))
    await feed(pool, assignment("assignment.offered", rep.user_id, [customer_id], first, sequence=1))
    await feed(pool, assignment("assignment.expired", rep.user_id, [customer_id], first, sequence=2))
    assert await _owner_holder(pool, customer_id) == (other.user_id, other.user_id)


async def test_only_the_outdated_customers_of_an_event_are_skipped(pool):
    """One event, two customers: the one a newer event already moved is skipped, the other applied."""
    previous, rep, other = await user(pool, "/o/b1/"), await user(pool, "/o/b7/"), await user(pool, "/o/b8/")
    taken, free = await _customers(pool, previous, 2)
    await feed(pool, assignment("assignment.direct", other.user_id, [taken], uuid.uuid4(), sequence=5))
    await feed(pool, assignment("assignment.direct", rep.user_id, [taken, free], uuid.uuid4(), sequence=4))
    assert await _owner_holder(pool, taken) == (other.user_id, other.user_id)
    assert await _owner_holder(pool, free) == (rep.user_id, rep.user_id)
    last = (await published(pool, "customers.bulk_owner_changed"))[-1]["data"]
    assert last["ids"] == [str(free)]


async def test_events_without_a_sequence_apply_as_before(pool):
    """Replays of events published before the sequence existed: applied in arrival order."""
    previous, rep = await user(pool, "/o/b1/"), await user(pool, "/o/b9/")
    [customer_id] = await _customers(pool, previous, 1)
    job = uuid.uuid4()
    await feed(pool, assignment("assignment.direct", rep.user_id, [customer_id], job, sequence=7))
    await feed(pool, _recall(rep, [customer_id], job, previous, None))
    assert await _owner_holder(pool, customer_id) == (previous.user_id, None)
