"""Owner and holder changes commanded by the assignment service's events (A-3 … A-5, C-6).

Each affected customer gets one new version; the changes of one assignment event are published
as `customers.bulk_owner_changed` batch events (≤ 2,000 customers each, every id listed), not as
per-customer events, so that a distribution of 100,000 leads does not flood the subscribers (E-3);
services that keep an access model (interactions) follow from them. Customers are locked in id
order (no deadlocks with a concurrent event touching the same customers); deleted or unknown
customers are skipped. What each handler reads of its event: `crm_customers.consumed_events`.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from operator import attrgetter
from typing import Any

import asyncpg

from crmkit import directory
from crmkit.consumer import typed
from crmkit.events import Envelope
from crmkit.unit_of_work import UnitOfWork

from crm_customers import consumed_events as consumed
from crm_customers import events
from crm_customers.handlers.problems import SOURCE
from crm_customers.store import customers as store
from crm_customers.store.bulk import CHUNK

# customers per customers.bulk_owner_changed: eight parallel lists with unit paths make ~350
# bytes per customer, so 2,000 stay well under Kafka's 1 MiB record limit (crmkit.outbox)
EVENT_CHUNK = 2_000


class UnknownAssignee(LookupError):
    """The assignee is neither in the user directory nor described by the event: retried, then
    dead-lettered (replayable once the identity event has arrived)."""


async def _owner_columns(conn: asyncpg.Connection, event: consumed.Handover) -> dict[str, Any]:
    user = await directory.get_user(conn, event.assignee_id)
    if user is not None:
        return {"owner_id": event.assignee_id, "owner_unit_id": user["unit_id"], "owner_unit_path": user["unit_path"]}
    if event.assignee_unit_path:
        return {"owner_id": event.assignee_id, "owner_unit_id": event.assignee_unit_id,
                "owner_unit_path": event.assignee_unit_path}
    raise UnknownAssignee(str(event.assignee_id))


def _outdated(sequence: int | None, applied: int | None) -> bool:
    """Whether an assignment event (`sequence`) is not newer than the last one applied to a
    customer (`applied`): skipped for it (A-7). Events of older versions carry no sequence and
    apply as they always did."""
    return sequence is not None and applied is not None and sequence <= applied


Decide = Callable[[dict[str, Any]], dict[str, Any] | None]


def _moves(current: dict[str, Any], values: dict[str, Any]) -> bool:
    return any(current[name] != value for name, value in values.items())


async def _apply(conn: asyncpg.Connection, envelope: Envelope, event: consumed.AssignmentEvent,
                 decide: Decide, *, cause: str | None = None) -> None:
    """Lock the event's live customers (in id order, a chunk at a time), ask `decide` for each
    one's new owner/holder values (None: leave it), write the changed ones with one statement per
    chunk, then publish the batch events. A customer a newer assignment event (larger `sequence`)
    has already moved is skipped (A-7); the others remember this event's sequence, moved or not (a
    recall that left one alone still outdates an older distribution arriving after it).

    Per customer only what must be (an event is up to 5,000 of them, and this loop is the customers
    service's share of applying 100,000): ids sorted by their integer (UUID's own comparison is
    Python code, ~20,000 calls for 2,000 ids), one merged dict for the moved ones."""
    ids = sorted(set(event.customer_ids), key=attrgetter("int"))  # PostgreSQL's uuid order too
    moved: list[tuple[dict[str, Any], dict[str, Any], int]] = []
    for start in range(0, len(ids), CHUNK):
        planned, unmoved = [], []
        for current in await store.lock_owners(conn, ids=ids[start:start + CHUNK]):
            if _outdated(event.sequence, current["assignment_sequence"]):
                continue
            values = decide(current)
            if values is not None and _moves(current, values):
                planned.append((current, {**current, **values}))
            else:
                unmoved.append(current["id"])
        versions = await store.update_owners(conn, rows=[after for _, after in planned], sequence=event.sequence)
        if event.sequence is not None:
            await store.set_assignment_sequence(conn, ids=unmoved, sequence=event.sequence)
        moved += [(before, after, versions[before["id"]]) for before, after in planned]
    async with UnitOfWork.joining(conn, source=SOURCE) as uow:  # the consumer's transaction
        await _publish(uow, envelope.type, moved, event.assignment_id, cause=cause)


async def _publish(uow: UnitOfWork, reason: str, moved: list[tuple[dict[str, Any], dict[str, Any], int]],
                   assignment_id: uuid.UUID | None, *, cause: str | None = None) -> None:
    """The batch events (each moved customer: before, after, new version), with the consumed
    event's context (its actor, correlation, and it as the causation); `cause`: why the assignment
    event happened (a recall's reason), for the timeline."""
    batch_id = uuid.uuid4()
    chunks = [moved[i:i + EVENT_CHUNK] for i in range(0, len(moved), EVENT_CHUNK)]
    for number, chunk in enumerate(chunks, start=1):
        await uow.publish(events.CustomersBulkOwnerChanged(
            batch_id=batch_id, chunk=number, last=number == len(chunks), reason=reason,
            assignment_id=assignment_id, ids=[after["id"] for _, after, _ in chunk],
            versions=[version for _, _, version in chunk],
            from_owner_ids=[before["owner_id"] for before, _, _ in chunk],
            to_owner_ids=[after["owner_id"] for _, after, _ in chunk],
            owner_unit_ids=[after["owner_unit_id"] for _, after, _ in chunk],
            owner_unit_paths=[after["owner_unit_path"] for _, after, _ in chunk],
            from_holder_ids=[before["holder_id"] for before, _, _ in chunk],
            to_holder_ids=[after["holder_id"] for _, after, _ in chunk], cause=cause,
        ), subject=batch_id)


async def on_offered(conn: asyncpg.Connection, envelope: Envelope, event: consumed.AssignmentEvent) -> None:
    """Waiting for the rep's acceptance: the rep holds the customers (scope `holding`)."""
    assignee = event.assignee_id

    def decide(current: dict[str, Any]) -> dict[str, Any]:
        return {"holder_id": assignee}

    await _apply(conn, envelope, event, decide)


async def on_owned(conn: asyncpg.Connection, envelope: Envelope, event: consumed.Handover) -> None:
    """Accepted, or assigned directly: the rep owns and holds the customers."""
    owner = {**await _owner_columns(conn, event), "holder_id": event.assignee_id}

    def decide(current: dict[str, Any]) -> dict[str, Any]:
        return owner

    await _apply(conn, envelope, event, decide)


async def on_released(conn: asyncpg.Connection, envelope: Envelope, event: consumed.AssignmentEvent) -> None:
    """Declined or expired: the customers return to the pool; the owner does not change. Only a
    hold by this assignee is released (a newer assignment to someone else stays)."""
    assignee = event.assignee_id

    def decide(current: dict[str, Any]) -> dict[str, Any] | None:
        return {"holder_id": None} if current["holder_id"] == assignee else None

    await _apply(conn, envelope, event, decide)


def _previous_owners(event: consumed.AssignmentRecalled) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each customer's previous owner: `previous_owner_ids[customer]`, else `previous_owner_id`."""
    return {c: event.previous_owner_ids.get(c, event.previous_owner_id) for c in event.customer_ids}


def _previous_owner_columns(previous: uuid.UUID, event: consumed.AssignmentRecalled, customer_id: uuid.UUID,
                            users: dict[uuid.UUID, Any]) -> dict[str, Any] | None:
    """The previous owner with their unit: from the directory (`users`, fetched once for the
    event), else from the event (per customer in `previous_owner_units`, or
    `previous_owner_unit_path` for all); None when nobody knows it."""
    user = users.get(previous)
    if user is not None:
        return {"owner_id": previous, "owner_unit_id": user["unit_id"], "owner_unit_path": user["unit_path"]}
    unit = event.previous_owner_units.get(customer_id) or consumed.PreviousUnit(
        unit_id=event.previous_owner_unit_id, unit_path=event.previous_owner_unit_path)
    if unit.unit_path:
        return {"owner_id": previous, "owner_unit_id": unit.unit_id, "owner_unit_path": unit.unit_path}
    return None


async def on_recalled(conn: asyncpg.Connection, envelope: Envelope, event: consumed.AssignmentRecalled) -> None:
    """Recall (A-5): the hold ends and ownership reverts to the previous owner (none, or one
    nobody can place in a unit any more: unassigned, the customer stays in its unit). Customers
    the assignee neither holds nor owns any more (taken over since) are left alone."""
    assignee = event.assignee_id
    previous_owners = _previous_owners(event)
    users = await directory.get_users(conn, [p for p in previous_owners.values() if p is not None])

    def decide(current: dict[str, Any]) -> dict[str, Any] | None:
        if assignee not in (current["holder_id"], current["owner_id"]):
            return None
        values: dict[str, Any] = {"holder_id": None} if current["holder_id"] == assignee else {}
        if current["owner_id"] == assignee:
            previous = previous_owners.get(current["id"])
            owner = previous and _previous_owner_columns(previous, event, current["id"], users)
            values.update(owner or {"owner_id": None})  # unassigned: the customer stays in its unit
        return values

    await _apply(conn, envelope, event, decide, cause=event.reason)


HANDLERS = {
    "assignment.offered": typed(consumed.AssignmentEvent, on_offered),
    "assignment.accepted": typed(consumed.Handover, on_owned),
    "assignment.direct": typed(consumed.Handover, on_owned),
    "assignment.declined": typed(consumed.AssignmentEvent, on_released),
    "assignment.expired": typed(consumed.AssignmentEvent, on_released),
    "assignment.recalled": typed(consumed.AssignmentRecalled, on_recalled),
}
