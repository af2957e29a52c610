"""The user directory read model, fed by the gateway's identity events on `crm.identity`.

Every service needs to know users (names for mentions, units for scopes, active reps for the
roster); the table comes with crmkit's migrations and `CONSUMER` keeps it current.
"""
from __future__ import annotations

import uuid

import asyncpg
from pydantic import BaseModel

from crmkit.auth import Principal
from crmkit.consumer import Handler, typed
from crmkit.events import Envelope

IDENTITY_TOPIC = "crm.identity"


class DirectoryUser(BaseModel):
    """What the directory reads of `user.created` / `user.updated` / `user.deactivated` (the
    gateway's full user state; gateway/tests check that what it publishes validates here)."""

    id: uuid.UUID
    username: str
    full_name: str | None = None
    unit_id: uuid.UUID | None = None
    unit_path: str | None = None
    roles: list[str] = []
    active: bool = True


class DirectoryUnit(BaseModel):
    """What the directory reads of `unit.created` / `unit.updated` (the gateway's full unit state):
    its name and path (a moved unit's new path)."""

    id: uuid.UUID
    name: str | None = None
    path: str | None = None


async def on_user_event(conn: asyncpg.Connection, envelope: Envelope, user: DirectoryUser) -> None:
    """The full user; newer events win."""
    await conn.execute(
        "INSERT INTO directory_users (id, username, full_name, unit_id, unit_path, roles, active, changed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, full_name = EXCLUDED.full_name,"
        "   unit_id = EXCLUDED.unit_id, unit_path = EXCLUDED.unit_path, roles = EXCLUDED.roles,"
        "   active = EXCLUDED.active, changed_at = EXCLUDED.changed_at"
        " WHERE directory_users.changed_at <= EXCLUDED.changed_at",
        user.id, user.username, user.full_name or "", user.unit_id, user.unit_path, user.roles, user.active,
        envelope.occurred_at,
    )


async def on_unit_created(conn: asyncpg.Connection, envelope: Envelope, unit: DirectoryUnit) -> None:
    """The unit's name and path (`directory_units`); newer events win."""
    if unit.path and unit.name is not None:
        await conn.execute(
            "INSERT INTO directory_units (id, name, path, changed_at) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, path = EXCLUDED.path, changed_at = EXCLUDED.changed_at"
            " WHERE directory_units.changed_at <= EXCLUDED.changed_at", unit.id, unit.name, unit.path,
            envelope.occurred_at)


async def on_unit_updated(conn: asyncpg.Connection, envelope: Envelope, unit: DirectoryUnit) -> None:
    """A moved unit changes the path of its members (and its own, renamed: its name)."""
    await on_unit_created(conn, envelope, unit)
    if unit.path:
        await conn.execute("UPDATE directory_users SET unit_path = $2 WHERE unit_id = $1", unit.id, unit.path)


HANDLERS: dict[str, Handler] = {
    "user.created": typed(DirectoryUser, on_user_event),
    "user.updated": typed(DirectoryUser, on_user_event),
    "user.deactivated": typed(DirectoryUser, on_user_event),
    "unit.created": typed(DirectoryUnit, on_unit_created),
    "unit.updated": typed(DirectoryUnit, on_unit_updated),
}


async def get_user(conn: asyncpg.Connection, user_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM directory_users WHERE id = $1", user_id)


def principal_of(user: asyncpg.Record) -> Principal:
    """A directory user as a principal — roles and unit as the directory knows them now: a use case
    run from an event on someone's behalf (an import's importer) checks what they may do now."""
    return Principal(user_id=user["id"], username=user["username"], unit_id=user["unit_id"],
                     unit_path=user["unit_path"] or "", roles=frozenset(user["roles"]))


async def get_unit(conn: asyncpg.Connection, unit_id: uuid.UUID) -> asyncpg.Record | None:
    """`{id, name, path}` of a unit the directory knows (from `unit.created` / `unit.updated`)."""
    return await conn.fetchrow("SELECT id, name, path FROM directory_units WHERE id = $1", unit_id)


async def get_users(conn: asyncpg.Connection, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, asyncpg.Record]:
    """The known users among `user_ids`, by id (one query for a whole batch)."""
    rows = await conn.fetch("SELECT * FROM directory_users WHERE id = ANY($1::uuid[])", list(set(user_ids)))
    return {r["id"]: r for r in rows}
