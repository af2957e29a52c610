"""Use cases of users: create, change (roles, unit, contact, password), deactivate, read."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg

from crmkit.auth import ADMIN, Principal
from crmkit.domain_errors import Conflict, FieldError, Invalid, NotFound
from crmkit.pagination import decode_cursor, page_of
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_gateway.domain import users as rules
from crm_gateway.domain.access import reach_of, require_admin
from crm_gateway.events import UserCreated, UserDeactivated, UserUpdated
from crm_gateway.handlers.common import SOURCE, Identity, changed_fields, user_state
from crm_gateway.store import logins, refresh_tokens
from crm_gateway.store import units as unit_store
from crm_gateway.store import users as store


async def create_user(*, identity: Identity, actor: Principal, username: str, password: str | None,
                      full_name: str, unit_id: uuid.UUID, roles: list[str], email: str | None = None,
                      phone: str | None = None, kind: str = "user") -> asyncpg.Record:
    """A person (with a password) or, for `kind="service"`, an integrator service account (none)."""
    require_admin(actor)
    roles = rules.normalise_roles(roles)
    if kind == "user":
        rules.check_password(password or "", username=username)
    username = username.strip()
    email, phone = rules.normalise_email(email), rules.normalise_phone(phone)
    password_hash = await identity.passwords.hash(password) if kind == "user" and password is not None else None
    async with UnitOfWork(identity.pool, source=SOURCE) as uow:
        await _require_unit(uow.conn, unit_id)
        if await store.get_by_username(uow.conn, username):
            raise Conflict("username_exists", params={"username": username})
        try:
            row = await store.insert(uow.conn, user_id=uuid.uuid4(), username=username, full_name=full_name.strip(),
                                     email=email, phone=phone, unit_id=unit_id, roles=roles, kind=kind,
                                     password_hash=password_hash)
        except asyncpg.UniqueViolationError:
            raise Conflict("username_exists", params={"username": username}) from None
        await uow.publish(UserCreated(**user_state(row)), subject=row["id"])
        return row


async def update_user(*, identity: Identity, actor: Principal, user_id: uuid.UUID, changes: dict[str, Any],
                      expected_version: int | None) -> asyncpg.Record:
    """Partial update; `active: false` deactivates (refresh tokens revoked, access tokens expire)."""
    require_admin(actor)
    changes = _normalised(changes)
    password = changes.pop("password", None)
    password_hash = await identity.passwords.hash(password) if password is not None else None
    async with UnitOfWork(identity.pool, source=SOURCE) as uow:
        user = await store.get(uow.conn, user_id, for_update=True)
        if user is None:
            raise NotFound("not_found")
        check_version(user["version"], expected_version)
        changes = changed_fields(user, changes)
        if password is not None:
            _check_new_password(user, password)
            changes["password_hash"] = password_hash
        if not changes:
            return user
        await _check_change(uow.conn, user, changes)
        return await _apply(uow, user, changes)


async def get_user(*, identity: Identity, actor: Principal, user_id: uuid.UUID) -> asyncpg.Record:
    row = await store.get_visible(identity.pool, user_id, reach_of(actor))
    if row is None:
        raise NotFound("not_found")
    return row


async def list_users(*, identity: Identity, actor: Principal, unit_id: uuid.UUID | None = None,
                     role: str | None = None, active: bool | None = None, kind: str | None = None,
                     q: str | None = None, cursor: str | None = None,
                     limit: int = 50) -> tuple[list[asyncpg.Record], str | None]:
    rows = await store.list_page(identity.pool, reach=reach_of(actor), unit_id=unit_id, role=role, active=active,
                                 kind=kind, q=q, after=decode_cursor(cursor, store.UserPosition), limit=limit)
    return page_of(rows, limit, store.cursor_of)


def _normalised(changes: dict[str, Any]) -> dict[str, Any]:
    changes = dict(changes)
    if "roles" in changes:
        changes["roles"] = rules.normalise_roles(changes["roles"])
    if "email" in changes:
        changes["email"] = rules.normalise_email(changes["email"])
    if "phone" in changes:
        changes["phone"] = rules.normalise_phone(changes["phone"])
    if "full_name" in changes:
        changes["full_name"] = changes["full_name"].strip()
    return changes


def _check_new_password(user: asyncpg.Record, password: str) -> None:
    if user["kind"] != "user":  # service accounts authenticate with API keys only
        raise Invalid(FieldError("password", "invalid_value"))
    rules.check_password(password, username=user["username"])


async def _check_change(conn: asyncpg.Connection, user: asyncpg.Record, changes: dict[str, Any]) -> None:
    if "unit_id" in changes:
        await _require_unit(conn, changes["unit_id"])
    loses_admin = ADMIN in user["roles"] and ADMIN not in changes.get("roles", user["roles"])
    deactivated = changes.get("active") is False
    if user["active"] and (loses_admin or (deactivated and ADMIN in user["roles"])):
        if await store.other_active_admins(conn, user["id"]) == 0:
            raise Conflict("last_admin")


async def _apply(uow: UnitOfWork, user: asyncpg.Record, changes: dict[str, Any]) -> asyncpg.Record:
    deactivating = changes.get("active") is False
    if "active" in changes:
        changes["deactivated_at"] = datetime.now(UTC) if deactivating else None
    if deactivating or "password_hash" in changes:
        await refresh_tokens.revoke_user(uow.conn, user["id"])
    if "password_hash" in changes:  # a reset by an admin lets the user in from everywhere at once
        await logins.forget_username(uow.conn, user["username"])
    row = await store.update(uow.conn, user["id"], changes)
    changed = sorted({"password" if k == "password_hash" else k for k in changes} - {"deactivated_at"})
    event = (UserDeactivated(**user_state(row), changed=changed, deactivated_at=row["deactivated_at"])
             if deactivating else UserUpdated(**user_state(row), changed=changed))
    await uow.publish(event, subject=row["id"])
    return row


async def _require_unit(conn: asyncpg.Connection, unit_id: uuid.UUID) -> None:
    if await unit_store.get(conn, unit_id) is None:
        raise Invalid(FieldError("unit_id", "not_found"), code="unit_not_found")
