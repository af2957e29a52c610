"""Lead packages ("gói tài khoản", P-1): created and changed by admins and managers (within their
subtree), seen as store/access.py says, shown with their counters."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from crmkit import directory
from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Forbidden, Invalid, NotFound
from crmkit.pagination import page_of, time_id_after, time_id_cursor
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_compensation import events
from crm_compensation.handlers import SOURCE
from crm_compensation.store import packages as store
from crm_compensation.store import reasons as reasons_store
from crm_compensation.store import units as units_store
from crm_compensation.store.access import Access, access_of, manages

POLICY_FIELDS = ("reasons", "window_days", "max_share", "min_call_attempts")


def as_package(row: asyncpg.Record | dict[str, Any]) -> dict[str, Any]:
    """The row as the API and the events show it: the policy as one object."""
    package = dict(row)
    package["policy"] = {"reasons": list(package.pop("reasons")), "window_days": package.pop("window_days"),
                         "max_share": package.pop("max_share"), "min_call_attempts": package.pop("min_call_attempts")}
    return package


def _state(row: asyncpg.Record | dict[str, Any]) -> dict[str, Any]:
    package = as_package(row)
    return {name: package[name] for name in events.PackageState.model_fields}


def _may_manage(principal: Principal) -> None:
    if not (principal.is_admin or (principal.is_manager and principal.kind == "user")):
        raise Forbidden("not_package_manager")


async def _owner_path(conn: asyncpg.Connection, principal: Principal, *, owner_id: uuid.UUID | None,
                      owner_unit_id: uuid.UUID | None) -> str:
    """The owning unit's path: the owning rep's unit, or the owning unit (from the caller when it
    is theirs, else from the units read model); the caller must manage there."""
    field = "owner_id" if owner_id is not None else "owner_unit_id"
    if owner_id is not None:
        user = None if owner_id == principal.user_id else await directory.get_user(conn, owner_id)
        if owner_id != principal.user_id and (user is None or not user["active"]):
            raise Invalid(FieldError("owner_id", "unknown_user"))
        path = principal.unit_path if user is None else user["unit_path"]
    else:
        assert owner_unit_id is not None
        path = (principal.unit_path if owner_unit_id == principal.unit_id
                else await units_store.path_of(conn, owner_unit_id))
        if path is None:
            raise Invalid(FieldError("owner_unit_id", "unknown_unit"))
    path = path or ""
    if not (owner_id == principal.user_id or manages(principal, owner_unit_path=path)):
        raise Invalid(FieldError(field, "owner_not_allowed"), code="owner_not_allowed")
    return path


async def _check_reasons(conn: asyncpg.Connection, codes: list[str]) -> None:
    unknown = sorted(set(codes) - await reasons_store.known(conn, codes))
    if unknown:
        raise Invalid(FieldError("policy.reasons", "unknown_reason", {"codes": ", ".join(unknown)}),
                      code="unknown_reason", params={"codes": ", ".join(unknown)})


def _exactly_one_owner(owner_id: uuid.UUID | None, owner_unit_id: uuid.UUID | None) -> None:
    if owner_id is not None and owner_unit_id is not None:
        fields = "owner_id, owner_unit_id"
        raise Invalid(FieldError("owner_id", "exactly_one_of", {"fields": fields}),
                      FieldError("owner_unit_id", "exactly_one_of", {"fields": fields}))


async def create(pool: asyncpg.Pool, *, principal: Principal, name: str, provider: str,
                 owner_id: uuid.UUID | None, owner_unit_id: uuid.UUID | None, purchased_at: datetime,
                 reasons: list[str], window_days: int, max_share: Decimal, min_call_attempts: int) -> dict[str, Any]:
    """A new package; without an owner, the caller owns it."""
    _may_manage(principal)
    _exactly_one_owner(owner_id, owner_unit_id)
    if owner_id is None and owner_unit_id is None:
        owner_id = principal.user_id
    package_id = uuid.uuid4()
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await _check_reasons(uow.conn, reasons)
        path = await _owner_path(uow.conn, principal, owner_id=owner_id, owner_unit_id=owner_unit_id)
        await store.insert(uow.conn, values={
            "id": package_id, "name": name, "provider": provider, "owner_id": owner_id, "owner_unit_id": owner_unit_id,
            "owner_unit_path": path, "purchased_at": purchased_at, "reasons": list(dict.fromkeys(reasons)),
            "window_days": window_days, "max_share": max_share, "min_call_attempts": min_call_attempts,
            "created_by": principal.user_id})
        row = await store.get(uow.conn, Access(user_id=None, sees_all=True), package_id)
        assert row is not None
        await uow.publish(events.LeadPackageCreated(**_state(row)), subject=package_id)
        return as_package(row)


async def get(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await store.get(conn, access_of(principal), package_id)
    if row is None:
        raise NotFound()
    return as_package(row)


async def list_packages(pool: asyncpg.Pool, *, principal: Principal, provider: str | None,
                        owner_id: uuid.UUID | None, limit: int, cursor: str | None
                        ) -> tuple[list[dict[str, Any]], str | None]:
    after = time_id_after(cursor)
    async with pool.acquire() as conn:
        rows = await store.list_visible(conn, access_of(principal), provider=provider, owner_id=owner_id,
                                        after=after, limit=limit)
    return page_of([as_package(r) for r in rows], limit, time_id_cursor)


async def update(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID, expected_version: int | None,
                 changes: dict[str, Any]) -> dict[str, Any]:
    """Name, provider, purchase date, policy (whole) or owner; the caller must manage the package
    where it is and where it goes."""
    access = access_of(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await store.lock(uow.conn, access, package_id)
        if current is None:
            raise NotFound()
        if not manages(principal, owner_unit_path=current["owner_unit_path"]):
            raise Forbidden("not_package_manager")
        check_version(current["version"], expected_version)
        values = await _changed_values(uow.conn, principal, changes)
        if values:
            await store.update(uow.conn, package_id=package_id, values=values)
        row = await store.get(uow.conn, access, package_id) or await store.get(
            uow.conn, Access(user_id=None, sees_all=True), package_id)
        assert row is not None
        if values:
            await uow.publish(events.LeadPackageUpdated(**_state(row)), subject=package_id)
        return as_package(row)


async def _changed_values(conn: asyncpg.Connection, principal: Principal, changes: dict[str, Any]) -> dict[str, Any]:
    values = {name: changes[name] for name in ("name", "provider", "purchased_at") if changes.get(name) is not None}
    policy = changes.get("policy")
    if policy is not None:
        await _check_reasons(conn, policy["reasons"])
        values.update({name: policy[name] for name in POLICY_FIELDS})
        values["reasons"] = list(dict.fromkeys(values["reasons"]))
    owner_id, owner_unit_id = changes.get("owner_id"), changes.get("owner_unit_id")
    _exactly_one_owner(owner_id, owner_unit_id)
    if owner_id is not None or owner_unit_id is not None:
        values["owner_unit_path"] = await _owner_path(conn, principal, owner_id=owner_id, owner_unit_id=owner_unit_id)
        values["owner_id"], values["owner_unit_id"] = owner_id, owner_unit_id
    return values


async def credits(pool: asyncpg.Pool, *, principal: Principal, package_id: uuid.UUID) -> dict[str, Any]:
    """The package's ledger of replacement credits (written by decisions)."""
    async with pool.acquire() as conn:
        if await store.get(conn, access_of(principal), package_id) is None:
            raise NotFound()
        rows = [dict(r) for r in await store.credits(conn, package_id)]
    return {"items": rows, "total": sum(r["amount"] for r in rows)}
