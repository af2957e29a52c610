"""The units read model and the packages' unit paths, from the gateway's identity events: a
unit-owned package follows its unit when it moves, a rep's package follows the rep (the
managers above see a package by its `owner_unit_path`)."""
from __future__ import annotations

import asyncpg

from crmkit.events import Envelope

from crm_compensation.consumed_events import UnitState, UserUnit
from crm_compensation.store import units as store


async def on_unit(conn: asyncpg.Connection, envelope: Envelope, event: UnitState) -> None:
    if await store.upsert(conn, unit_id=event.id, path=event.path, changed_at=envelope.occurred_at):
        await store.repath_unit_packages(conn, unit_id=event.id, path=event.path)


async def on_user(conn: asyncpg.Connection, envelope: Envelope, event: UserUnit) -> None:
    if event.unit_path:
        await store.repath_user_packages(conn, user_id=event.id, path=event.unit_path)
