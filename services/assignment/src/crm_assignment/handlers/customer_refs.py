"""What the assignment service keeps of customers, from the customers service's events: owner,
unit path and holder (to check who may assign a customer and whom a recall gives it back to),
province (territories), and whether it is deleted. Registered with their event models in consumers.py."""
from __future__ import annotations

import asyncpg

from crmkit.events import Envelope

from crm_assignment.consumed_events import (
    CustomerGone,
    CustomerRefState,
    CustomersGone,
    CustomersImported,
    CustomersOwnersMoved,
)
from crm_assignment.store import refs as store


async def on_customer_state(conn: asyncpg.Connection, envelope: Envelope, event: CustomerRefState) -> None:
    """customer.created / updated / restored: the full state."""
    await store.upsert(conn, customer_id=event.id, owner_id=event.owner_id, owner_unit_id=event.owner_unit_id,
                       owner_unit_path=event.owner_unit_path, holder_id=event.holder_id,
                       province_code=event.province.code if event.province else None, version=event.version)
    if envelope.type == "customer.restored":
        await store.mark_deleted(conn, ids=[event.id], deleted=False)


async def on_customer_deleted(conn: asyncpg.Connection, envelope: Envelope, event: CustomerGone) -> None:
    await store.mark_deleted(conn, ids=[event.customer_id])


async def on_bulk_deleted(conn: asyncpg.Connection, envelope: Envelope, event: CustomersGone) -> None:
    await store.mark_deleted(conn, ids=event.ids)


async def on_customer_purged(conn: asyncpg.Connection, envelope: Envelope, event: CustomerGone) -> None:
    await store.forget(conn, ids=[event.customer_id])


async def on_bulk_purged(conn: asyncpg.Connection, envelope: Envelope, event: CustomersGone) -> None:
    await store.forget(conn, ids=event.ids)


async def on_bulk_owner_changed(conn: asyncpg.Connection, envelope: Envelope, event: CustomersOwnersMoved) -> None:
    none: list[None] = [None] * len(event.ids)
    await store.upsert_many(conn, rows=list(zip(event.ids, event.to_owner_ids, event.owner_unit_ids,
                                                event.owner_unit_paths, event.to_holder_ids, none, event.versions,
                                                strict=True)), keep_province=True)


async def on_bulk_imported(conn: asyncpg.Connection, envelope: Envelope, event: CustomersImported) -> None:
    none: list[None] = [None] * len(event.ids)
    await store.upsert_many(conn, rows=list(zip(event.ids, event.owner_ids, event.owner_unit_ids or none,
                                                event.owner_unit_paths, none, event.province_codes or none,
                                                event.versions, strict=True)),
                            keep_holder=True, keep_province=event.province_codes is None)
