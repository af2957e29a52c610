"""Owner and holder changes commanded by the assignment service's events (A-3 … A-5, C-6).

Each affected customer gets one new version; the changes of one assignment event are published
as `customers.bulk_owner_changed` batch events (≤ 5,000 customers each, every id listed), not as
per-customer events, so that a distribution of 100,000 leads does not flood the subscribers (E-3);
services that keep an access model (interactions) follow from them. Customers are locked in id
order (no deadlocks with a concurrent event touching the same customers); deleted or unknown
customers are skipped. Payloads are described in `crm_customers.consumers`.
"""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit import directory, outbox
from crmkit.events import Envelope
from crm_customers import events
from crm_customers.handlers.problems import SOURCE
from crm_customers.store import customers as store
from crm_customers.store.bulk import CHUNK


SYSTEM = store.Access(user_id=None, sees_all=True, edits_all=True, personal=False)


class UnknownAssignee(LookupError):
    """The assignee is neither in the user directory nor described by the event: retried, then
    dead-lettered (replayable once the identity event has arrived)."""


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def _customer_ids(data: dict[str, Any]) -> list[uuid.UUID]:
    return sorted({uuid.UUID(str(v)) for v in data.get("customer_ids") or []})


async def _owner_columns(conn: asyncpg.Connection, user_id: uuid.UUID, data: dict[str, Any],
                         prefix: str) -> dict[str, Any]:
    user = await directory.get_user(conn, user_id)
    if user is not None:
        return {"owner_id": user_id, "owner_unit_id": user["unit_id"], "owner_unit_path": user["unit_path"]}
    if data.get(f"{prefix}_unit_path"):
        return {"owner_id": user_id, "owner_unit_id": _uuid(data.get(f"{prefix}_unit_id")),
                "owner_unit_path": data[f"{prefix}_unit_path"]}
    raise UnknownAssignee(str(user_id))


async def _lock(conn: asyncpg.Connection, customer_id: uuid.UUID) -> dict[str, Any] | None:
    """The live customer, locked (the system sees every customer)."""
    found = await store.lock_visible(conn, customer_id=customer_id, access=SYSTEM)
    return found[0] if found else None


class _Changes:
    """The owner/holder changes of one assignment event, published as batch events at the end."""

    def __init__(self, envelope: Envelope) -> None:
        self.envelope = envelope
        self.rows: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (before, after)

    async def apply(self, conn: asyncpg.Connection, current: dict[str, Any], values: dict[str, Any]) -> None:
        changed = [name for name, value in values.items() if current.get(name) != value]
        if changed:
            row = await store.update(conn, customer_id=current["id"],
                                     values={name: values[name] for name in changed})
            self.rows.append((current, dict(row)))

    async def publish(self, conn: asyncpg.Connection, assignment_id: uuid.UUID | None) -> None:
        envelope, batch_id = self.envelope, uuid.uuid4()
        chunks = [self.rows[i:i + CHUNK] for i in range(0, len(self.rows), CHUNK)]
        for number, chunk in enumerate(chunks, start=1):
            await outbox.publish(conn, events.CustomersBulkOwnerChanged(
                batch_id=batch_id, chunk=number, last=number == len(chunks), reason=envelope.type,
                assignment_id=assignment_id, ids=[after["id"] for _, after in chunk],
                versions=[after["version"] for _, after in chunk],
                from_owner_ids=[before["owner_id"] for before, _ in chunk],
                to_owner_ids=[after["owner_id"] for _, after in chunk],
                owner_unit_ids=[after["owner_unit_id"] for _, after in chunk],
                owner_unit_paths=[after["owner_unit_path"] for _, after in chunk],
                from_holder_ids=[before["holder_id"] for before, _ in chunk],
                to_holder_ids=[after["holder_id"] for _, after in chunk],
            ), source=SOURCE, subject=batch_id, actor=envelope.actor, correlation_id=envelope.correlation_id,
                causation_id=str(envelope.id))


async def on_offered(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Waiting for the rep's acceptance: the rep holds the customers (scope `holding`)."""
    data = envelope.data
    assignee = uuid.UUID(str(data["assignee_id"]))
    changes = _Changes(envelope)
    for customer_id in _customer_ids(data):
        if current := await _lock(conn, customer_id):
            await changes.apply(conn, current, {"holder_id": assignee})
    await changes.publish(conn, _uuid(data.get("assignment_id")))


async def on_owned(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Accepted, or assigned directly: the rep owns and holds the customers."""
    data = envelope.data
    assignee = uuid.UUID(str(data["assignee_id"]))
    owner = await _owner_columns(conn, assignee, data, "assignee")
    changes = _Changes(envelope)
    for customer_id in _customer_ids(data):
        if current := await _lock(conn, customer_id):
            await changes.apply(conn, current, {**owner, "holder_id": assignee})
    await changes.publish(conn, _uuid(data.get("assignment_id")))


async def on_released(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Declined or expired: the customers return to the pool; the owner does not change. Only a
    hold by this assignee is released (a newer assignment to someone else stays)."""
    data = envelope.data
    assignee = uuid.UUID(str(data["assignee_id"]))
    changes = _Changes(envelope)
    for customer_id in _customer_ids(data):
        current = await _lock(conn, customer_id)
        if current and current["holder_id"] == assignee:
            await changes.apply(conn, current, {"holder_id": None})
    await changes.publish(conn, _uuid(data.get("assignment_id")))


def _previous_owner(data: dict[str, Any], customer_id: uuid.UUID) -> uuid.UUID | None:
    by_customer = {str(k): v for k, v in (data.get("previous_owner_ids") or {}).items()}
    if str(customer_id) in by_customer:
        return _uuid(by_customer[str(customer_id)])
    return _uuid(data.get("previous_owner_id"))


async def on_recalled(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Recall (A-5): the hold ends and ownership reverts to the previous owner (none: unassigned,
    the customer stays in its unit). Customers the assignee neither holds nor owns any more (taken
    over since) are left alone."""
    data = envelope.data
    assignee = uuid.UUID(str(data["assignee_id"]))
    changes = _Changes(envelope)
    for customer_id in _customer_ids(data):
        current = await _lock(conn, customer_id)
        if current is None or assignee not in (current["holder_id"], current["owner_id"]):
            continue
        values: dict[str, Any] = {"holder_id": None} if current["holder_id"] == assignee else {}
        if current["owner_id"] == assignee:
            previous = _previous_owner(data, customer_id)
            values.update(await _owner_columns(conn, previous, data, "previous_owner") if previous else
                          {"owner_id": None, "owner_unit_id": current["owner_unit_id"],
                           "owner_unit_path": current["owner_unit_path"]})
        await changes.apply(conn, current, values)
    await changes.publish(conn, _uuid(data.get("assignment_id")))


HANDLERS = {
    "assignment.offered": on_offered,
    "assignment.accepted": on_owned,
    "assignment.direct": on_owned,
    "assignment.declined": on_released,
    "assignment.expired": on_released,
    "assignment.recalled": on_recalled,
}
