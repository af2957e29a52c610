"""How a selection of customers is divided among reps (A-3): explicit quantities, or a strategy.
Pure functions of their input (and of the roster state passed in), so the same input and state
always give the same result."""
from __future__ import annotations

import heapq
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from crmkit.domain_errors import Invalid

STRATEGIES = ("round_robin", "weighted", "least_loaded")
# territories: who gets a customer depends on where it belongs (its owner's unit, its province)
TERRITORY_STRATEGIES = ("by_unit", "by_province")


@dataclass(frozen=True)
class Rep:
    user_id: uuid.UUID
    weight: int = 1
    capacity: int | None = None  # maximum open leads; None: no limit
    open_leads: int = 0
    unit_path: str | None = None  # where the rep works (territories)


class CannotDistribute(Invalid):
    """The selection cannot be divided as asked: `code` names why; its params are also the
    problem's members (`selected`, `assigned`, `room`)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code, params=dict(params), details=dict(params))


def by_quantities(customers: list[uuid.UUID], quantities: list[tuple[uuid.UUID, int]]
                  ) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Consecutive slices of the selection, in the order the quantities are given; they must add
    up to exactly the selection size."""
    total = sum(count for _, count in quantities)
    if total != len(customers):
        raise CannotDistribute("quantities_mismatch", selected=len(customers), assigned=total)
    shares: dict[uuid.UUID, list[uuid.UUID]] = {}
    start = 0
    for user_id, count in quantities:
        shares.setdefault(user_id, []).extend(customers[start:start + count])
        start += count
    return {user_id: share for user_id, share in shares.items() if share}


def round_robin(customers: list[uuid.UUID], reps: list[Rep], *, after: uuid.UUID | None = None
                ) -> dict[uuid.UUID, list[uuid.UUID]]:
    """One customer each in turn, starting with the rep after `after` (where the last
    distribution of the job stopped)."""
    order = [r.user_id for r in reps]
    start = (order.index(after) + 1) % len(order) if after in order else 0
    shares: dict[uuid.UUID, list[uuid.UUID]] = {}
    for i, customer_id in enumerate(customers):
        shares.setdefault(order[(start + i) % len(order)], []).append(customer_id)
    return shares


def weighted(customers: list[uuid.UUID], reps: list[Rep]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Shares proportional to the weights (largest remainders get the leftovers, ties in rep order)."""
    total_weight = sum(r.weight for r in reps)
    exact = [len(customers) * r.weight / total_weight for r in reps]
    counts = [int(x) for x in exact]
    leftovers = sorted(range(len(reps)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in leftovers[:len(customers) - sum(counts)]:
        counts[i] += 1
    return by_quantities(customers, [(r.user_id, c) for r, c in zip(reps, counts)])


def least_loaded(customers: list[uuid.UUID], reps: list[Rep]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Each customer to the rep with the fewest open leads so far who still has capacity (ties in
    rep order); refused (`capacity_exceeded`) when the reps cannot take them all."""
    load = {r.user_id: r.open_leads for r in reps}
    room = sum(max(r.capacity - r.open_leads, 0) if r.capacity is not None else len(customers) for r in reps)
    if room < len(customers):
        raise CannotDistribute("capacity_exceeded", selected=len(customers), room=room)
    # (open leads, rep order): the smallest first; a rep at capacity leaves the heap
    heap = [(load[r.user_id], i) for i, r in enumerate(reps) if r.capacity is None or load[r.user_id] < r.capacity]
    heapq.heapify(heap)
    shares: dict[uuid.UUID, list[uuid.UUID]] = {}
    for customer_id in customers:
        leads, i = heapq.heappop(heap)
        rep = reps[i]
        shares.setdefault(rep.user_id, []).append(customer_id)
        if rep.capacity is None or leads + 1 < rep.capacity:
            heapq.heappush(heap, (leads + 1, i))
    return shares


def distribute(customers: list[uuid.UUID], *, reps: list[Rep], strategy: str,
               after: uuid.UUID | None = None) -> dict[uuid.UUID, list[uuid.UUID]]:
    if strategy == "round_robin":
        return round_robin(customers, reps, after=after)
    if strategy == "weighted":
        return weighted(customers, reps)
    if strategy == "least_loaded":
        return least_loaded(customers, reps)
    raise ValueError(strategy)


# Territories


class _Rotation:
    """Round-robin within each group of reps, each group keeping its own turn: the same
    selection, reps and groups always give the same shares."""

    def __init__(self) -> None:
        self.turns: dict[tuple[uuid.UUID, ...], int] = {}
        self.shares: dict[uuid.UUID, list[uuid.UUID]] = {}

    def deal(self, customer_id: uuid.UUID, group: tuple[uuid.UUID, ...]) -> None:
        turn = self.turns.get(group, 0)
        self.turns[group] = turn + 1
        self.shares.setdefault(group[turn % len(group)], []).append(customer_id)


def works_in(rep: Rep, unit_id: uuid.UUID) -> bool:
    """The rep works in the unit or below it (unit paths are made of unit ids: crmkit.auth.unit_path)."""
    return bool(rep.unit_path) and f"/{unit_id}/" in (rep.unit_path or "")


def _reps_in(reps: list[Rep], unit_id: uuid.UUID | None, cache: dict[uuid.UUID | None, tuple[uuid.UUID, ...]]
             ) -> tuple[uuid.UUID, ...]:
    if unit_id not in cache:
        cache[unit_id] = tuple(r.user_id for r in reps if unit_id is not None and works_in(r, unit_id))
    return cache[unit_id]


def by_unit(customers: list[uuid.UUID], reps: list[Rep], *, owner_units: Mapping[uuid.UUID, uuid.UUID | None]
            ) -> tuple[dict[uuid.UUID, list[uuid.UUID]], int]:
    """(shares, fallback): each customer to a rep who works in its owner's unit or below, in turn
    among those reps (in rep order); a customer no rep's unit covers (or without a unit) goes in
    turn among all reps and counts as a fallback."""
    rotation, groups = _Rotation(), dict[uuid.UUID | None, tuple[uuid.UUID, ...]]()
    everyone = tuple(r.user_id for r in reps)
    fallback = 0
    for customer_id in customers:
        group = _reps_in(reps, owner_units.get(customer_id), groups)
        if not group:
            fallback += 1
        rotation.deal(customer_id, group or everyone)
    return rotation.shares, fallback


def by_province(customers: list[uuid.UUID], reps: list[Rep], *, provinces: Mapping[uuid.UUID, int | None],
                territories: Mapping[int, uuid.UUID]) -> tuple[dict[uuid.UUID, list[uuid.UUID]], list[uuid.UUID]]:
    """(shares, uncovered): each customer to a rep who works in (or below) the unit its province is
    mapped to, in turn among those reps; customers without a province, of an unmapped province or
    with no such rep among `reps` are not dealt: they are returned, in selection order. Nothing
    covered at all is refused (`nothing_covered`)."""
    rotation, groups = _Rotation(), dict[uuid.UUID | None, tuple[uuid.UUID, ...]]()
    uncovered = []
    for customer_id in customers:
        province = provinces.get(customer_id)
        group = _reps_in(reps, territories.get(province) if province is not None else None, groups)
        if group:
            rotation.deal(customer_id, group)
        else:
            uncovered.append(customer_id)
    if not rotation.shares:
        raise CannotDistribute("nothing_covered", selected=len(customers))
    return rotation.shares, uncovered
