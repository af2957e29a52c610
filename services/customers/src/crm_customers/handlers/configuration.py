"""Configuration use cases (C-4): statuses, labels and groups, written by admins."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, NotFound
from crmkit.unit_of_work import UnitOfWork

from crm_customers import events
from crm_customers.domain.configuration import check_item
from crm_customers.handlers.problems import SOURCE, unprocessable
from crm_customers.store import configuration as store


async def list_items(pool: asyncpg.Pool, *, kind: str) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [dict(row) for row in await store.list_items(conn, kind=kind)]


async def _publish(uow: UnitOfWork, kind: str, action: str, item: dict[str, Any]) -> None:
    await uow.publish(events.CustomerConfigChanged(kind=kind, action=action, item=item), subject=item["id"])


def _duplicate(kind: str, values: dict[str, Any]) -> Conflict:
    if kind == "group":
        return Conflict("name_exists", params={"name": values.get("name", "")})
    return Conflict("key_exists", params={"key": values.get("key", "")})


async def create_item(pool: asyncpg.Pool, *, principal: Principal, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    cleaned, problems = check_item(kind, values, partial=False)
    if problems:
        raise unprocessable(problems)
    if kind == "group":
        cleaned["created_by"] = principal.user_id
    try:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            item = dict(await store.insert_item(uow.conn, kind=kind, values={"id": uuid.uuid4(), **cleaned}))
            await _publish(uow, kind, "created", item)
            return item
    except asyncpg.UniqueViolationError:
        raise _duplicate(kind, cleaned) from None


async def update_item(pool: asyncpg.Pool, *, principal: Principal, kind: str, item_id: uuid.UUID,
                      changes: dict[str, Any]) -> dict[str, Any]:
    cleaned, problems = check_item(kind, changes, partial=True)
    if problems:
        raise unprocessable(problems)
    try:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            row = await store.update_item(uow.conn, kind=kind, item_id=item_id, values=cleaned)
            if row is None:
                raise NotFound()
            await _publish(uow, kind, "updated", dict(row))
            return dict(row)
    except asyncpg.UniqueViolationError:
        raise _duplicate(kind, cleaned) from None


async def delete_item(pool: asyncpg.Pool, *, principal: Principal, kind: str, item_id: uuid.UUID) -> None:
    """Only what no customer uses can be deleted (409 `in_use`); one status must remain."""
    try:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            item = await store.get_item(uow.conn, kind=kind, item_id=item_id)
            if item is None:
                raise NotFound()
            if kind == "status" and await store.count(uow.conn, kind=kind) <= 1:
                raise Conflict("last_status")
            if await store.in_use(uow.conn, kind=kind, reference=item["id"] if kind == "group" else item["key"]):
                raise Conflict("in_use")
            await store.delete_item(uow.conn, kind=kind, item_id=item_id)
            await _publish(uow, kind, "deleted", dict(item))
    except asyncpg.ForeignKeyViolationError:  # a customer took the status meanwhile
        raise Conflict("in_use") from None
