"""Configuration use cases (C-4): statuses, labels and groups, written by admins."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit import outbox
from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, NotFound
from crm_customers import events
from crm_customers.domain.configuration import check_item
from crm_customers.handlers.problems import SOURCE, unprocessable
from crm_customers.store import configuration as store


async def list_items(pool: asyncpg.Pool, *, kind: str) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [dict(row) for row in await store.list_items(conn, kind=kind)]


async def _publish(conn: asyncpg.Connection, principal: Principal, kind: str, action: str, item: dict,
                   correlation_id: str | None) -> None:
    await outbox.publish(conn, events.CustomerConfigChanged(kind=kind, action=action, item=item), source=SOURCE,
                         subject=item["id"], actor=principal.user_id, correlation_id=correlation_id)


def _duplicate(kind: str, values: dict[str, Any]) -> Conflict:
    if kind == "group":
        return Conflict("name_exists", params={"name": values.get("name", "")})
    return Conflict("key_exists", params={"key": values.get("key", "")})


async def create_item(pool: asyncpg.Pool, *, principal: Principal, kind: str, values: dict[str, Any],
                      correlation_id: str | None = None) -> dict[str, Any]:
    cleaned, problems = check_item(kind, values, partial=False)
    if problems:
        raise unprocessable(problems)
    if kind == "group":
        cleaned["created_by"] = principal.user_id
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                item = dict(await store.insert_item(conn, kind=kind, values={"id": uuid.uuid4(), **cleaned}))
                await _publish(conn, principal, kind, "created", item, correlation_id)
                return item
        except asyncpg.UniqueViolationError:
            raise _duplicate(kind, cleaned) from None


async def update_item(pool: asyncpg.Pool, *, principal: Principal, kind: str, item_id: uuid.UUID,
                      changes: dict[str, Any], correlation_id: str | None = None) -> dict[str, Any]:
    cleaned, problems = check_item(kind, changes, partial=True)
    if problems:
        raise unprocessable(problems)
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                row = await store.update_item(conn, kind=kind, item_id=item_id, values=cleaned)
                if row is None:
                    raise NotFound()
                await _publish(conn, principal, kind, "updated", dict(row), correlation_id)
                return dict(row)
        except asyncpg.UniqueViolationError:
            raise _duplicate(kind, cleaned) from None


async def delete_item(pool: asyncpg.Pool, *, principal: Principal, kind: str, item_id: uuid.UUID,
                      correlation_id: str | None = None) -> None:
    """Only what no customer uses can be deleted (409 `in_use`); one status must remain."""
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                item = await store.get_item(conn, kind=kind, item_id=item_id)
                if item is None:
                    raise NotFound()
                if kind == "status" and await store.count(conn, kind=kind) <= 1:
                    raise Conflict("last_status")
                if await store.in_use(conn, kind=kind, reference=item["id"] if kind == "group" else item["key"]):
                    raise Conflict("in_use")
                await store.delete_item(conn, kind=kind, item_id=item_id)
                await _publish(conn, principal, kind, "deleted", dict(item), correlation_id)
        except asyncpg.ForeignKeyViolationError:  # a customer took the status meanwhile
            raise Conflict("in_use") from None
