"""What the assignment service keeps of customers, from the customers service's events: owner,
unit path and holder (to check who may assign a customer and whom a recall gives it back to),
and whether it is deleted."""
from __future__ import annotations

import uuid

import asyncpg

from crmkit.events import Envelope
from crm_assignment.store import refs as store


def _uuid(value) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


async def on_customer_state(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """customer.created / updated / restored: the full state."""
    customer = envelope.data
    customer_id = uuid.UUID(customer["id"])
    await store.upsert(conn, customer_id=customer_id, owner_id=_uuid(customer.get("owner_id")),
                       owner_unit_id=_uuid(customer.get("owner_unit_id")),
                       owner_unit_path=customer.get("owner_unit_path"), holder_id=_uuid(customer.get("holder_id")),
                       version=customer["version"])
    if envelope.type == "customer.restored":
        await store.mark_deleted(conn, ids=[customer_id], deleted=False)


async def on_customer_deleted(conn: asyncpg.Connection, envelope: Envelope) -> None:
    await store.mark_deleted(conn, ids=[uuid.UUID(envelope.data["customer_id"])])


async def on_bulk_deleted(conn: asyncpg.Connection, envelope: Envelope) -> None:
    await store.mark_deleted(conn, ids=[uuid.UUID(i) for i in envelope.data["ids"]])


async def on_customer_purged(conn: asyncpg.Connection, envelope: Envelope) -> None:
    await store.forget(conn, ids=[uuid.UUID(envelope.data["customer_id"])])


async def on_bulk_purged(conn: asyncpg.Connection, envelope: Envelope) -> None:
    await store.forget(conn, ids=[uuid.UUID(i) for i in envelope.data["ids"]])


async def on_bulk_owner_changed(conn: asyncpg.Connection, envelope: Envelope) -> None:
    batch = envelope.data
    await store.upsert_many(conn, rows=list(zip(batch["ids"], batch["to_owner_ids"], batch["owner_unit_ids"],
                                                batch["owner_unit_paths"], batch["to_holder_ids"], batch["versions"],
                                                strict=True)))


async def on_bulk_imported(conn: asyncpg.Connection, envelope: Envelope) -> None:
    batch = envelope.data
    none = [None] * len(batch["ids"])
    await store.upsert_many(conn, rows=list(zip(batch["ids"], batch["owner_ids"], batch.get("owner_unit_ids") or none,
                                                batch["owner_unit_paths"], none, batch["versions"], strict=True)),
                            keep_holder=True)


HANDLERS = {
    "customer.created": on_customer_state,
    "customer.updated": on_customer_state,
    "customer.restored": on_customer_state,
    "customer.deleted": on_customer_deleted,
    "customers.bulk_deleted": on_bulk_deleted,
    "customer.purged": on_customer_purged,
    "customers.bulk_purged": on_bulk_purged,
    "customers.bulk_owner_changed": on_bulk_owner_changed,
    "customers.bulk_imported": on_bulk_imported,
}
