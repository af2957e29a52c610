"""Saved views use cases (C-8): each user reads and replaces their own configuration."""
from __future__ import annotations

from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Invalid
from crmkit.unit_of_work import UnitOfWork

from crm_customers import events
from crm_customers.domain import selection
from crm_customers.domain.attributes import AttributeDefinition
from crm_customers.domain.errors import FieldProblem
from crm_customers.domain.views import check_view, current_view
from crm_customers.handlers.attributes import as_definition
from crm_customers.handlers.problems import SOURCE, unprocessable
from crm_customers.store import attributes as attribute_store
from crm_customers.store import views as store


async def _definitions(conn: asyncpg.Connection) -> list[AttributeDefinition]:
    return [as_definition(row) for row in await attribute_store.list_definitions(conn)]


SORTABLE = frozenset(selection.SORTABLE)


def check_filter(data: Any) -> list[FieldProblem]:
    """A saved filter has the shape of the customer list's filter (JSON body form)."""
    try:
        selection.parse_filter(data)
    except Invalid as error:
        return [(e.field, e.code, e.params) for e in error.errors]
    return []


async def get_view(pool: asyncpg.Pool, *, principal: Principal) -> dict[str, Any]:
    """The caller's saved view (without keys of attributes deleted since), or the default one."""
    async with pool.acquire() as conn:
        row = await store.get_view(conn, principal.user_id)
        view = current_view(row["view"] if row else None, await _definitions(conn), sortable=SORTABLE)
    return {**view, "saved": row is not None, "updated_at": row["updated_at"] if row else None}


async def put_view(pool: asyncpg.Pool, *, principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    async with UnitOfWork(pool, source=SOURCE) as uow:
        view, problems = check_view(values, await _definitions(uow.conn), sortable=SORTABLE, check_filter=check_filter)
        if problems:
            raise unprocessable(problems)
        row = await store.put_view(uow.conn, principal.user_id, view)
        await uow.publish(events.CustomerViewSaved(user_id=principal.user_id, view=view), subject=principal.user_id)
    return {**row["view"], "saved": True, "updated_at": row["updated_at"]}
