"""Owner and holder changes commanded by the assignment service's events (A-3 … A-5, C-6).

Each affected customer gets one new version, one `customer.owner_changed` and one
`customer.updated` (full state, `changed` naming owner/holder columns) so that every service that
keeps an access model (interactions) follows. Customers are locked in id order (no deadlocks with
a concurrent event touching the same customers); deleted or unknown customers are skipped.
Payloads are described in `crm_customers.consumers`.
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


async def _apply(conn: asyncpg.Connection, envelope: Envelope, current: dict[str, Any], values: dict[str, Any],
                 assignment_id: uuid.UUID | None) -> None:
    changed = [name for name, value in values.items() if current.get(name) != value]
    if not changed:
        return
    row = await store.update(conn, customer_id=current["id"], values={name: values[name] for name in changed})
    fields = {"source": SOURCE, "subject": row["id"], "actor": envelope.actor,
              "correlation_id": envelope.correlation_id, "causation_id": str(envelope.id)}
    await outbox.publish(conn, events.CustomerOwnerChanged(
        customer_id=row["id"], from_owner_id=current["owner_id"], to_owner_id=row["owner_id"],
        owner_unit_id=row["owner_unit_id"], owner_unit_path=row["owner_unit_path"],
        from_holder_id=current["holder_id"], to_holder_id=row["holder_id"], reason=envelope.type,
        assignment_id=assignment_id, version=row["version"]), **fields)
    await outbox.publish(conn, events.CustomerUpdated(**row, changed=changed), **fields)


async def on_offered(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Waiting for the rep's acceptance: the rep holds the customers (scope `holding`)."""
    data = envelope.data
    assignee = uuid.UUID(str(data["assignee_id"]))
    for customer_id in _customer_ids(data):
        if current := await _lock(conn, customer_id):
            await _apply(conn, envelope, current, {"holder_id": assignee}, _uuid(data.get("assignment_id")))


async def on_owned(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Accepted, or assigned directly: the rep owns and holds the customers."""
    data = envelope.data
    assignee = uuid.UUID(str(data["assignee_id"]))
    owner = await _owner_columns(conn, assignee, data, "assignee")
    for customer_id in _customer_ids(data):
        if current := await _lock(conn, customer_id):
            await _apply(conn, envelope, current, {**owner, "holder_id": assignee}, _uuid(data.get("assignment_id")))


async def on_released(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Declined or expired: the customers return to the pool; the owner does not change. Only a
    hold by this assignee is released (a newer assignment to someone else stays)."""
    data = envelope.data
    assignee = uuid.UUID(str(data["assignee_id"]))
    for customer_id in _customer_ids(data):
        current = await _lock(conn, customer_id)
        if current and current["holder_id"] == assignee:
            await _apply(conn, envelope, current, {"holder_id": None}, _uuid(data.get("assignment_id")))


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
    assignment_id = _uuid(data.get("assignment_id"))
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
        await _apply(conn, envelope, current, values, assignment_id)


HANDLERS = {
    "assignment.offered": on_offered,
    "assignment.accepted": on_owned,
    "assignment.direct": on_owned,
    "assignment.declined": on_released,
    "assignment.expired": on_released,
    "assignment.recalled": on_recalled,
}
