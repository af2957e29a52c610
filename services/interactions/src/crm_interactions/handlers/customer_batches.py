"""Batch and erasure events of the customers service: bulk status/label changes and imports become
timeline entries in bulk (COPY), and deletions and restores keep the visibility model current (a
purge: handlers/erasure.py)."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.events import Envelope
from crmkit.unit_of_work import UnitOfWork

from crm_interactions import events
from crm_interactions.consumed_events import (
    Batch,
    BulkImported,
    BulkOwnerChanged,
    BulkUpdated,
    CustomerDeleted,
    CustomerSeen,
)
from crm_interactions.handlers.timeline import SOURCE, actor_of, keep_access, owner_change_type
from crm_interactions.store import access
from crm_interactions.store import timeline as store


def _entries_of(batch: BulkUpdated) -> tuple[str, str | None, list[tuple[uuid.UUID, dict[str, Any]]]] | None:
    """(type, note, [(customer id, data)]) for a bulk change worth a timeline entry."""
    ids = batch.ids
    if batch.action == "set_status":
        befores = batch.from_statuses or [None] * len(ids)
        return "classified", batch.note, [(i, {"from": f, "to": batch.status}) for i, f in zip(ids, befores)]
    if batch.action == "remove_labels":
        return "classified", batch.note, [(i, {"labels_removed": batch.labels or []}) for i in ids]
    if batch.action == "add_labels":
        return "classified", batch.note, [
            (i, _labels_added(batch.labels or [], removed)) for i, removed in zip(ids, _removed_labels(batch))]
    return None


def _removed_labels(batch: BulkUpdated) -> list[list[str]]:
    """`removed_labels[i]`: the labels of the same category (hot / warm / cold) that customer i
    lost when one was added; absent from events without categories."""
    return batch.removed_labels or [[]] * len(batch.ids)


def _labels_added(added: list[str], removed: list[str]) -> dict[str, Any]:
    return {"labels_added": added, "labels_removed": removed} if removed else {"labels_added": added}


async def on_bulk_updated(conn: asyncpg.Connection, envelope: Envelope, batch: BulkUpdated) -> None:
    described = _entries_of(batch)
    if described is None:
        return
    type_, note, per_customer = described
    await _record_batch(conn, envelope, batch, type_=type_, note=note, per_customer=per_customer)


async def on_bulk_imported(conn: asyncpg.Connection, envelope: Envelope, batch: BulkImported) -> None:
    """Created customers enter the visibility model (an import never changes holder or viewers);
    every customer gets one `imported` entry."""
    await access.upsert_owners(conn, ids=batch.ids, versions=batch.versions, owner_ids=batch.owner_ids,
                              owner_unit_paths=batch.owner_unit_paths)
    await _record_batch(conn, envelope, batch, type_="imported", note=None, per_customer=[
        (customer_id, {"job_id": batch.job_id, "row": row, "action": action})
        for customer_id, row, action in zip(batch.ids, batch.rows, batch.actions, strict=True)])


async def on_bulk_owner_changed(conn: asyncpg.Connection, envelope: Envelope, batch: BulkOwnerChanged) -> None:
    """`customers.bulk_owner_changed` (an assignment moved owners or holders): the visibility
    model follows (newer versions win), and each customer gets an `assigned` line — `recalled`
    when the assignment gave it back — like a single `customer.owner_changed`."""
    await access.upsert_owners(conn, ids=batch.ids, versions=batch.versions, owner_ids=batch.to_owner_ids,
                              owner_unit_paths=batch.owner_unit_paths, holder_ids=batch.to_holder_ids)
    common = {"reason": batch.reason, "assignment_id": batch.assignment_id,  # uuids: orjson writes them as text
              **({"cause": batch.cause} if batch.cause else {})}  # the `recalled` line says why
    per_customer = [
        (customer_id, {"from_owner_id": from_owner, "to_owner_id": to_owner, "from_holder_id": from_holder,
                       "to_holder_id": to_holder, **common})
        for customer_id, from_owner, to_owner, from_holder, to_holder in zip(
            batch.ids, batch.from_owner_ids, batch.to_owner_ids, batch.from_holder_ids, batch.to_holder_ids,
            strict=True)]
    await _record_batch(conn, envelope, batch, type_=owner_change_type(batch.reason), note=None,
                        per_customer=per_customer)


async def _record_batch(conn: asyncpg.Connection, envelope: Envelope, batch: Batch, *, type_: str,
                        note: str | None, per_customer: list[tuple[uuid.UUID, dict[str, Any]]]) -> None:
    """One entry per customer by COPY (a purged customer gets none, a redelivery adds none), then
    one `interactions.bulk_recorded` listing them."""
    actor = actor_of(envelope)
    async with UnitOfWork.joining(conn, source=SOURCE) as uow:  # the consumer's transaction and message context
        rows = await store.insert_entries(uow.conn, type_=type_, occurred_at=envelope.occurred_at, actor_id=actor,
                                          note=note, source_event_id=envelope.id, per_customer=per_customer)
        if rows:
            await uow.publish(events.InteractionsBulkRecorded.model_construct(  # trusted rows: no validation
                type=type_, occurred_at=envelope.occurred_at, actor_id=actor, note=note, data={},
                entry_ids=[r["id"] for r in rows], customer_ids=[r["customer_id"] for r in rows],
            ), subject=str(batch.batch_id))


async def on_bulk_deleted(conn: asyncpg.Connection, envelope: Envelope, batch: Batch) -> None:
    await access.mark_deleted(conn, ids=batch.ids, versions=batch.versions)


async def on_customer_deleted(conn: asyncpg.Connection, envelope: Envelope, deleted: CustomerDeleted) -> None:
    await access.mark_deleted(conn, ids=[deleted.customer_id], versions=[deleted.version])


async def on_customer_restored(conn: asyncpg.Connection, envelope: Envelope, customer: CustomerSeen) -> None:
    await keep_access(conn, customer)
    await access.mark_restored(conn, customer_id=customer.id, version=customer.version)
