"""Restore and purge of customers (C-10, Decree 13/2023 on personal data).

* Soft delete is the bulk action `delete` (handlers.bulk): `deleted_at`, `deleted_by`; the
  customer disappears from every read, list, search, bulk action and export.
* Restore (admin): within `deleted_retention_days` (30) of the deletion, else 409
  `restore_window_passed`; `customer.restored` with the full state.
* Purge (admin, any customer, deleted or not): every personal field is erased, the row stays as
  a tombstone (id, deleted_at, purged_at, version) so that ids stay unique and referrals and
  events keep pointing at something; `customer.purged` tells the other services to erase what they
  keep (interactions: timeline, comments, attachments). A second purge answers the tombstone again
  and publishes nothing.
* Automatic purge (`purge_job`, hourly in the worker): customers deleted more than 30 days ago,
  in batches of `PURGE_BATCH`, one `customers.bulk_purged` event per batch (E-3: a bulk delete of
  100,000 customers is purged 30 days later without 100,000 events).
* Phones: a soft-deleted customer keeps its phone, which still blocks creating another customer
  with it (`409 phone_exists`, the existing id named only to those who may see it: deleted rows
  are seen by no one, an admin restores it by id); a purge frees the phone.
"""
from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from fastapi import FastAPI

from crmkit import outbox
from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Forbidden, NotFound
from crmkit.logging import get_logger
from crmkit.unit_of_work import UnitOfWork

from crm_customers import events
from crm_customers.handlers.problems import SOURCE
from crm_customers.store import bulk as store

log = get_logger(__name__)
PURGE_BATCH = 1_000
RETENTION_DAYS = 30


def _admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden()


async def restore_customer(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID,
                           retention_days: int = RETENTION_DAYS) -> dict[str, Any]:
    _admin(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        row = await store.lock_any(uow.conn, customer_id)
        if row is None or row["purged_at"] is not None:
            raise NotFound()
        if row["deleted_at"] is None:
            raise Conflict("not_deleted")
        if row["deleted_at"] < datetime.now(UTC) - timedelta(days=retention_days):
            raise Conflict("restore_window_passed", params={"days": retention_days},
                           details={"deleted_at": row["deleted_at"].isoformat()})
        customer = await store.restore(uow.conn, customer_id)
        await uow.publish(events.CustomerRestored(**customer), subject=customer_id)
        return customer


async def purge_customer(pool: asyncpg.Pool, *, principal: Principal, customer_id: uuid.UUID) -> dict[str, Any]:
    """Erase a customer's personal data → the tombstone `{id, purged_at}`."""
    _admin(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        row = await store.lock_any(uow.conn, customer_id)
        if row is None:
            raise NotFound()
        if row["purged_at"] is not None:
            return {"id": customer_id, "purged_at": row["purged_at"]}
        purged = await store.purge(uow.conn, customer_id)
        await outbox.forget_published(uow.conn, subjects=[str(customer_id)])
        await uow.publish(events.CustomerPurged(customer_id=customer_id, purged_at=purged["purged_at"],
                                                version=purged["version"]), subject=customer_id)
        return {"id": customer_id, "purged_at": purged["purged_at"]}


async def purge_expired(pool: asyncpg.Pool, *, retention_days: int = RETENTION_DAYS,
                        batch_size: int = PURGE_BATCH, now: datetime | None = None) -> int:
    """Purge every customer deleted more than `retention_days` ago; returns how many."""
    before = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    batch_id, chunk, total = uuid.uuid4(), 0, 0
    while True:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            rows = await store.purge_deleted_before(uow.conn, before=before, limit=batch_size)
            await outbox.forget_published(uow.conn, subjects=[str(r["id"]) for r in rows])
            final = len(rows) < batch_size
            if rows or (final and chunk):  # an empty closing chunk after an exactly full one
                chunk += 1
                await uow.publish(events.CustomersBulkPurged(
                    batch_id=batch_id, chunk=chunk, last=final, ids=sorted(r["id"] for r in rows),
                    purged_at=rows[0]["purged_at"] if rows else datetime.now(UTC)), subject=batch_id)
        total += len(rows)
        if final:
            return total


async def purge_job(app: FastAPI) -> None:
    """Background task (ServiceSpec.background): the automatic purge, every `purge_interval_seconds`."""
    settings = app.state.settings
    while True:
        with contextlib.suppress(Exception):
            try:
                count = await purge_expired(app.state.pool, retention_days=settings.deleted_retention_days)
                if count:
                    log.info("customers_purged", count=count)
            except Exception as exc:
                log.warning("customer_purge_failed", error=repr(exc))
        await asyncio.sleep(settings.purge_interval_seconds)
