"""The people directory: every signed-in person may find any colleague (to put a name on an
actor id, to know whom to @mention). Integrator keys need `identity.read`, as for /users."""
from __future__ import annotations

import uuid

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Forbidden, NotFound
from crmkit.pagination import decode_cursor, page_of

from crm_gateway.domain.access import IDENTITY_READ
from crm_gateway.handlers.common import Identity
from crm_gateway.store import people as store


async def find_people(*, identity: Identity, actor: Principal, q: str | None = None,
                      unit_id: uuid.UUID | None = None, active: bool | None = None, kind: str | None = None,
                      cursor: str | None = None, limit: int = 50,
                      ids: list[uuid.UUID] | None = None) -> tuple[list[asyncpg.Record], str | None]:
    _require_reader(actor)
    rows = await store.page(identity.pool, q=q, unit_id=unit_id, active=active, kind=kind,
                            after=decode_cursor(cursor, store.PersonPosition), limit=limit, ids=ids)
    return page_of(rows, limit, store.cursor_of)


async def get_person(*, identity: Identity, actor: Principal, user_id: uuid.UUID) -> asyncpg.Record:
    _require_reader(actor)
    row = await store.get(identity.pool, user_id)
    if row is None:
        raise NotFound("not_found")
    return row


def _require_reader(actor: Principal) -> None:
    if not actor.can(IDENTITY_READ):
        raise Forbidden("forbidden")
