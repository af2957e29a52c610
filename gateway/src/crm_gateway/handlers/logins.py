"""What admins see and do about logins: a user's back-off per client address, clearing it, the
login audit; and the purge that bounds both tables."""
from __future__ import annotations

import uuid

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import NotFound
from crmkit.pagination import IdPosition, decode_cursor, page_of

from crm_gateway.domain.access import require_admin
from crm_gateway.handlers.common import Identity
from crm_gateway.store import logins as store
from crm_gateway.store import users as user_store


async def login_failures(*, identity: Identity, actor: Principal, user_id: uuid.UUID) -> list[asyncpg.Record]:
    require_admin(actor)
    return await store.failures_of(identity.pool, await _username(identity, user_id))


async def clear_login_failures(*, identity: Identity, actor: Principal, user_id: uuid.UUID) -> None:
    """Every client address of the user may try again at once."""
    require_admin(actor)
    await store.forget_username(identity.pool, await _username(identity, user_id))


async def login_audit(*, identity: Identity, actor: Principal, user_id: uuid.UUID | None = None,
                      username: str | None = None, client: str | None = None, outcome: str | None = None,
                      cursor: str | None = None, limit: int = 50) -> tuple[list[asyncpg.Record], str | None]:
    """Newest first."""
    require_admin(actor)
    before = decode_cursor(cursor, IdPosition)
    rows = await store.audit_page(identity.pool, user_id=user_id, username=username, client=client,
                                  outcome=outcome, before_id=before.id if before else None, limit=limit)
    return page_of(rows, limit, lambda row: {"id": row["id"]})


async def purge(identity: Identity) -> None:
    settings = identity.settings
    await store.purge(identity.pool, forget_seconds=settings.login_failures_forget_seconds,
                      max_failure_rows=settings.login_failures_max_rows,
                      audit_days=settings.login_audit_retention_days, max_audit_rows=settings.login_audit_max_rows)


async def _username(identity: Identity, user_id: uuid.UUID) -> str:
    user = await user_store.get(identity.pool, user_id)
    if user is None:
        raise NotFound("not_found")
    return user["username"]
