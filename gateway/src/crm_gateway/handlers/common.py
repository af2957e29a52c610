"""What every identity use case needs: the dependencies, the system actor, events, versions."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from crmkit.auth import ADMIN, Principal
from crmkit.db import advisory_key

from crm_gateway.domain.passwords import Passwords
from crm_gateway.domain.tokens import TokenSigner
from crm_gateway.events import UnitState, UserState
from crm_gateway.settings import GatewaySettings

SOURCE = "gateway"
SYSTEM_USER_ID = uuid.UUID(int=0)
SYSTEM = Principal(user_id=SYSTEM_USER_ID, username="system", unit_id=None, unit_path="",
                   roles=frozenset({ADMIN}))
TREE_LOCK = advisory_key("gateway.units.tree")


@dataclass(frozen=True)
class Identity:
    """The dependencies of the identity use cases (one per app, built in the lifespan)."""

    pool: asyncpg.Pool
    settings: GatewaySettings
    passwords: Passwords
    signer: TokenSigner


def actor_id(actor: Principal) -> uuid.UUID | None:
    return None if actor.user_id == SYSTEM_USER_ID else actor.user_id


async def lock_tree(conn: asyncpg.Connection) -> None:
    """Serialise structural changes of the tree (no concurrent moves can build a cycle)."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", TREE_LOCK)


def user_state(row: asyncpg.Record) -> dict[str, Any]:
    return {name: row[name] for name in UserState.model_fields}


def unit_state(row: asyncpg.Record) -> dict[str, Any]:
    return {name: row[name] for name in UnitState.model_fields}


def changed_fields(row: asyncpg.Record, changes: dict[str, Any]) -> dict[str, Any]:
    """Only the changes that differ from the stored row."""
    return {key: value for key, value in changes.items() if row[key] != value}
