"""The roster (A-1): active sales users (from the user directory, i.e. identity events) with
their unit, weight, capacity and open leads; managers see and tune their subtree's."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound
from crmkit.events import Envelope
from crmkit.unit_of_work import UnitOfWork

from crm_assignment.consumed_events import DeactivatedUser
from crm_assignment.handlers import access, assignments
from crm_assignment.handlers.jobs import SOURCE
from crm_assignment.store import assignments as store


async def list_roster(pool: asyncpg.Pool, *, principal: Principal) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [dict(r) for r in await store.roster(conn, reach=access.reach(principal))]


async def tune(pool: asyncpg.Pool, *, principal: Principal, user_id: uuid.UUID, changes: dict[str, Any]
               ) -> dict[str, Any]:
    """Set a rep's weight and/or capacity (`capacity: null` removes the limit)."""
    prefix = access.reach(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        if not await store.roster(uow.conn, reach=prefix, user_ids=[user_id]):
            raise NotFound()
        await store.set_roster(uow.conn, user_id=user_id, weight=changes.get("weight"),
                               capacity=changes.get("capacity"), clear_capacity="capacity" in changes and changes["capacity"] is None)
        return dict((await store.roster(uow.conn, reach=prefix, user_ids=[user_id]))[0])


async def on_user_deactivated(conn: asyncpg.Connection, envelope: Envelope, user: DeactivatedUser) -> None:
    """A deactivated rep leaves the roster (the directory says so) and their open offers return to the
    pool at once: nobody would answer them before they expire."""
    async with UnitOfWork.joining(conn, source=SOURCE) as uow:
        await assignments.withdraw_offers_of(uow, user.id)
