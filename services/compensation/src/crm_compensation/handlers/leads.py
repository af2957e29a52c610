"""The leads of a package: customers delivered by the provider, each with its delivery date (the
compensation window counts from it). Added by whoever manages the package or owns it (only
customers they see), and by an import naming the package (`lead_package_id`) when the importer
may add leads there."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from crmkit import directory
from crmkit.auth import Principal
from crmkit.domain_errors import Forbidden, NotFound
from crmkit.logging import get_logger
from crmkit.pagination import page_of, time_id_after
from crmkit.unit_of_work import UnitOfWork

from crm_compensation import events
from crm_compensation.domain.eligibility import deadline
from crm_compensation.handlers import SOURCE
from crm_compensation.store import packages as store
from crm_compensation.store import refs as refs_store
from crm_compensation.store.access import access_of, manages

MAX_LEADS = 5_000  # a call, and an event
log = get_logger(__name__)


async def _publish_added(uow: UnitOfWork, *, package_id: uuid.UUID, added: list[uuid.UUID], delivered_at: datetime,
                         job_id: uuid.UUID | None) -> None:
    for start in range(0, len(added), MAX_LEADS):
        await uow.publish(events.LeadPackageLeadsAdded(
            package_id=package_id, customer_ids=added[start:start + MAX_LEADS], delivered_at=delivered_at,
            job_id=job_id), subject=package_id)


def _may_add_leads(principal: Principal, package: asyncpg.Record) -> bool:
    """The package's owner, or whoever manages it (a manager over its unit, an admin)."""
    return package["owner_id"] == principal.user_id or manages(principal, owner_unit_path=package["owner_unit_path"])


async def add(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID, customer_ids: list[uuid.UUID],
              delivered_at: datetime) -> dict[str, Any]:
    """`{added, already, unknown}`: customers the caller does not see (or this service does not
    know yet, or deleted) are `unknown` and not added."""
    access = access_of(principal)
    ids = list(dict.fromkeys(customer_ids))
    async with UnitOfWork(pool, source=SOURCE) as uow:
        package = await store.lock(uow.conn, access, package_id)
        if package is None:
            raise NotFound()
        if not _may_add_leads(principal, package):
            raise Forbidden("not_package_manager")
        seen = set(await refs_store.seen(uow.conn, ids=ids, user_id=principal.user_id, subtree=access.subtree,
                                         everything=access.is_admin))
        known = [i for i in ids if i in seen]
        added = await store.add_leads(uow.conn, package_id=package_id, customer_ids=known, delivered_at=delivered_at,
                                      added_by=principal.user_id)
        await _publish_added(uow, package_id=package_id, added=added, delivered_at=delivered_at, job_id=None)
    return {"added": len(added), "already": len(known) - len(added), "unknown": len(ids) - len(known)}


async def _importer_may_deliver(conn: asyncpg.Connection, package_id: uuid.UUID, importer_id: uuid.UUID | None) -> bool:
    """The importer may add leads to the package as through the API: its owner, an admin, a
    manager over it (with the rights they have now, from the user directory)."""
    user = await directory.get_user(conn, importer_id) if importer_id else None
    if user is None or not user["active"]:
        return False
    importer = directory.principal_of(user)
    package = await store.lock(conn, access_of(importer), package_id)
    return package is not None and _may_add_leads(importer, package)


async def deliver_imported(uow: UnitOfWork, *, package_id: uuid.UUID, customer_ids: list[uuid.UUID],
                           delivered_at: datetime, job_id: uuid.UUID | None, actor: uuid.UUID | None) -> None:
    """An import's customers become leads of the package it names (a redelivery adds nothing), if
    the importer may add leads there; otherwise they stay plain customers (logged)."""
    if not await _importer_may_deliver(uow.conn, package_id, actor):
        log.warning("import_leads_refused", package_id=str(package_id), importer_id=str(actor), job_id=str(job_id))
        return
    added = await store.add_leads(uow.conn, package_id=package_id, customer_ids=list(dict.fromkeys(customer_ids)),
                                  delivered_at=delivered_at, added_by=actor, job_id=job_id)
    await _publish_added(uow, package_id=package_id, added=added, delivered_at=delivered_at, job_id=job_id)


async def list_leads(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID, limit: int,
                     cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Every lead to who sees the package as its owner, a manager over it, an admin or a reviewer; a
    rep who sees it as one of its owning unit only the leads they own or asked about (C-9: a
    teammate's customers, their names and phones, and their requests are not theirs to see)."""
    after = time_id_after(cursor)
    access = access_of(principal)
    async with pool.acquire() as conn:
        package = await store.get(conn, access, package_id)
        if package is None:
            raise NotFound()
        whole = (access.sees_all or package["owner_id"] == principal.user_id
                 or manages(access, owner_unit_path=package["owner_unit_path"]))
        rows = await store.leads_page(conn, package_id=package_id, after=after, limit=limit,
                                      only_of=None if whole else principal.user_id)
    items = [{"customer_id": r["customer_id"], "full_name": r["full_name"], "phone": r["phone"],
              "delivered_at": r["delivered_at"], "deadline": deadline(r["delivered_at"], package["window_days"]),
              "request": {"id": r["request_id"], "status": r["request_status"]} if r["request_id"] else None}
             for r in rows]
    return page_of(items, limit, lambda item: {"t": item["delivered_at"].isoformat(), "id": str(item["customer_id"])})
