"""What the compensation service keeps of customers, from the customers service's events: the
owner (who may ask for compensation of a lead), name and phone (the reviewer's evidence, the
duplicate rule), deleted and purged (C-10: a purge erases them here and in every request).
An import with `lead_package_id` also delivers its customers as leads of that package."""
from __future__ import annotations

import uuid

import asyncpg

from crmkit.events import Envelope
from crmkit.unit_of_work import UnitOfWork

from crm_compensation.consumed_events import (
    CustomerGone,
    CustomerRefState,
    CustomersGone,
    CustomersImported,
    CustomersOwnersMoved,
)
from crm_compensation.handlers import SOURCE, leads
from crm_compensation.store import refs as store


async def on_customer_state(conn: asyncpg.Connection, envelope: Envelope, event: CustomerRefState) -> None:
    """customer.created / updated / restored: the full state."""
    await store.upsert(conn, customer_id=event.id, owner_id=event.owner_id, owner_unit_path=event.owner_unit_path,
                       full_name=event.name, phone=event.phone, version=event.version)
    if envelope.type == "customer.restored":
        await store.mark_deleted(conn, ids=[event.id], deleted=False)


async def on_customer_deleted(conn: asyncpg.Connection, envelope: Envelope, event: CustomerGone) -> None:
    await store.mark_deleted(conn, ids=[event.customer_id])


async def on_bulk_deleted(conn: asyncpg.Connection, envelope: Envelope, event: CustomersGone) -> None:
    await store.mark_deleted(conn, ids=event.ids)


async def on_customer_purged(conn: asyncpg.Connection, envelope: Envelope, event: CustomerGone) -> None:
    await store.purge(conn, ids=[event.customer_id])


async def on_bulk_purged(conn: asyncpg.Connection, envelope: Envelope, event: CustomersGone) -> None:
    await store.purge(conn, ids=event.ids)


async def on_bulk_owner_changed(conn: asyncpg.Connection, envelope: Envelope, event: CustomersOwnersMoved) -> None:
    none: list[None] = [None] * len(event.ids)
    await store.upsert_many(conn, rows=list(zip(event.ids, event.to_owner_ids, event.owner_unit_paths, none, none,
                                                event.versions, strict=True)))


async def on_bulk_imported(conn: asyncpg.Connection, envelope: Envelope, event: CustomersImported) -> None:
    """The refs, and the leads of the job's package (delivered when the import wrote them)."""
    none: list[None] = [None] * len(event.ids)
    await store.upsert_many(conn, rows=list(zip(event.ids, event.owner_ids, event.owner_unit_paths,
                                                event.full_names or none, event.phones or none, event.versions,
                                                strict=True)))
    if event.lead_package_id is not None and event.ids:
        async with UnitOfWork.joining(conn, source=SOURCE) as uow:
            await leads.deliver_imported(uow, package_id=event.lead_package_id, customer_ids=event.ids,
                                         delivered_at=envelope.occurred_at, job_id=event.job_id,
                                         actor=_actor(envelope))


def _actor(envelope: Envelope) -> uuid.UUID | None:
    try:
        return uuid.UUID(envelope.actor)
    except ValueError:
        return None
