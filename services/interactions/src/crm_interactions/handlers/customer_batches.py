"""Batch and erasure events of the customers service: bulk status/label changes become timeline
entries in bulk (COPY), deletions and restores keep the visibility model current, and a purge
erases the personal data this service keeps about the customer (Decree 13/2023)."""
from __future__ import annotations

import uuid

import asyncpg

from crmkit import outbox
from crmkit.events import Envelope
from crm_interactions import events
from crm_interactions.handlers.timeline import SOURCE, actor_of, keep_access
from crm_interactions.store import timeline as store


def _entries_of(envelope: Envelope) -> tuple[str, str | None, list[tuple[uuid.UUID, dict]]] | None:
    """(type, note, [(customer id, data)]) for a bulk change worth a timeline entry."""
    batch = envelope.data
    ids = [uuid.UUID(i) for i in batch["ids"]]
    if batch["action"] == "set_status":
        befores = batch.get("from_statuses") or [None] * len(ids)
        return "classified", batch.get("note"), [(i, {"from": f, "to": batch["status"]}) for i, f in zip(ids, befores)]
    if batch["action"] in ("add_labels", "remove_labels"):
        key = "labels_added" if batch["action"] == "add_labels" else "labels_removed"
        return "classified", batch.get("note"), [(i, {key: batch.get("labels") or []}) for i in ids]
    return None


async def on_bulk_updated(conn: asyncpg.Connection, envelope: Envelope) -> None:
    described = _entries_of(envelope)
    if described is None:
        return
    type_, note, per_customer = described
    actor = actor_of(envelope)
    rows = await store.insert_entries(conn, entries=[
        (uuid.uuid4(), customer_id, type_, envelope.occurred_at, actor, note, data, envelope.id)
        for customer_id, data in per_customer
    ])
    if rows:
        await outbox.publish(conn, events.InteractionsBulkRecorded(
            type=type_, occurred_at=envelope.occurred_at, actor_id=actor, note=note,
            entries=[events.RecordedEntry(id=r["id"], customer_id=r["customer_id"]) for r in rows],
        ), source=SOURCE, subject=envelope.data["batch_id"], actor=envelope.actor,
            correlation_id=envelope.correlation_id, causation_id=str(envelope.id))


async def on_bulk_deleted(conn: asyncpg.Connection, envelope: Envelope) -> None:
    batch = envelope.data
    await store.mark_deleted(conn, ids=[uuid.UUID(i) for i in batch["ids"]], versions=list(batch["versions"]))


async def on_customer_deleted(conn: asyncpg.Connection, envelope: Envelope) -> None:
    deleted = envelope.data
    await store.mark_deleted(conn, ids=[uuid.UUID(deleted["customer_id"])], versions=[deleted["version"]])


async def on_customer_restored(conn: asyncpg.Connection, envelope: Envelope) -> None:
    customer = envelope.data
    await keep_access(conn, customer)
    await store.mark_restored(conn, customer_id=uuid.UUID(customer["id"]), version=customer["version"])


async def on_customer_purged(conn: asyncpg.Connection, envelope: Envelope) -> None:
    await store.erase_customers(conn, ids=[uuid.UUID(envelope.data["customer_id"])])


async def on_bulk_purged(conn: asyncpg.Connection, envelope: Envelope) -> None:
    await store.erase_customers(conn, ids=[uuid.UUID(i) for i in envelope.data["ids"]])
