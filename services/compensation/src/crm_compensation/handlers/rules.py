"""The admins' configuration of the review: the auto-decision rules (applied at submission in
their position order) and the settings of the abuse guard and of the review SLA."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Forbidden, Invalid, NotFound
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_compensation.domain import auto_rules
from crm_compensation.handlers import SOURCE
from crm_compensation.store import rules as store


def _admin_only(principal: Principal) -> None:
    if not (principal.is_admin and principal.kind == "user"):
        raise Forbidden("not_admin")


def _params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        return auto_rules.check_params(kind, params)
    except ValueError as missing:
        raise Invalid(FieldError(f"params.{missing}", "required")) from None


async def _known_reason(conn: asyncpg.Connection, code: str) -> None:
    if not await store.reason_exists(conn, code):
        raise Invalid(FieldError("reason_code", "unknown_reason", {"codes": code}))


async def list_rules(pool: asyncpg.Pool, *, principal: Principal) -> list[dict[str, Any]]:
    _admin_only(principal)
    async with pool.acquire() as conn:
        return [dict(r) for r in await store.list_rules(conn)]


async def get_rule(pool: asyncpg.Pool, *, principal: Principal, rule_id: uuid.UUID) -> dict[str, Any]:
    _admin_only(principal)
    async with pool.acquire() as conn:
        rule = await store.get_rule(conn, rule_id)
    if rule is None:
        raise NotFound()
    return dict(rule)


async def create_rule(pool: asyncpg.Pool, *, principal: Principal, reason_code: str, kind: str,
                      params: dict[str, Any], decision: str, active: bool, position: int) -> dict[str, Any]:
    _admin_only(principal)
    kept = _params(kind, params)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        await _known_reason(uow.conn, reason_code)
        return dict(await store.add_rule(uow.conn, reason_code=reason_code, kind=kind, params=kept, decision=decision,
                                         active=active, position=position, created_by=principal.user_id))


async def update_rule(pool: asyncpg.Pool, *, principal: Principal, rule_id: uuid.UUID, expected_version: int | None,
                      changes: dict[str, Any]) -> dict[str, Any]:
    """Changes named fields; the params are checked against the rule's kind as it will be."""
    _admin_only(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await store.get_rule(uow.conn, rule_id, lock=True)
        if current is None:
            raise NotFound()
        check_version(current["version"], expected_version)
        if "reason_code" in changes:
            await _known_reason(uow.conn, changes["reason_code"])
        if "kind" in changes or "params" in changes:
            kind = changes.get("kind", current["kind"])
            changes = {**changes, "params": _params(kind, changes.get("params", dict(current["params"])))}
        return dict(await store.update_rule(uow.conn, rule_id, changes))


async def delete_rule(pool: asyncpg.Pool, *, principal: Principal, rule_id: uuid.UUID) -> None:
    """Decisions it made keep its id (history, requests): the rule's id stays meaningful in the audit."""
    _admin_only(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        if not await store.delete_rule(uow.conn, rule_id):
            raise NotFound()


async def get_settings(pool: asyncpg.Pool, *, principal: Principal) -> dict[str, Any]:
    _admin_only(principal)
    async with pool.acquire() as conn:
        return dict(await store.get_settings(conn))


async def update_settings(pool: asyncpg.Pool, *, principal: Principal, expected_version: int | None,
                          changes: dict[str, Any]) -> dict[str, Any]:
    _admin_only(principal)
    async with UnitOfWork(pool, source=SOURCE) as uow:
        current = await store.get_settings(uow.conn, lock=True)
        check_version(current["version"], expected_version)
        return dict(await store.update_settings(uow.conn, changes))
