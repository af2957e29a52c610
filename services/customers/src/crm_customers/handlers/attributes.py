"""Attribute definition use cases (C-3): everyone reads, admins write.

Rules beyond the shape of a definition (`domain.attributes.define_attribute`):
- the key never changes (422 `immutable`);
- a new type is accepted only when every value customers hold stays valid *and unchanged* under
  it (e.g. text → number is refused while a customer has "12" stored as text), else 409
  `attribute_in_use`;
- removing options of a select / multi-select that customers use: 409 `attribute_option_in_use`
  naming them;
- deleting a definition customers have values for: 409 `attribute_in_use`, unless `force` (admin),
  which removes the values from those customers (their version moves on) and says how many in the
  `customer_attribute.deleted` event.
Making an attribute required is not checked against existing customers: the rule applies to the
next create (updates only check the values they send).
"""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, Forbidden, NotFound
from crmkit.unit_of_work import UnitOfWork

from crm_customers import events
from crm_customers.domain.attributes import (
    CHOICE_TYPES,
    AttributeDefinition,
    InvalidAttributeDefinition,
    InvalidAttributes,
    define_attribute,
    validate_values,
)
from crm_customers.handlers.problems import SOURCE, unprocessable
from crm_customers.store import attributes as store

DEFINITION_FIELDS = ("key", "name", "type", "options", "required", "display_order", "filterable")


def _definition(values: dict[str, Any]) -> AttributeDefinition:
    try:
        return define_attribute(**{name: values[name] for name in DEFINITION_FIELDS if name in values})
    except InvalidAttributeDefinition as error:
        raise unprocessable(error.errors) from None


def _columns(definition: AttributeDefinition) -> dict[str, Any]:
    return {
        "key": definition.key, "name": definition.name, "type": definition.type.value,
        "options": [{"value": o.value, "label": o.label} for o in definition.options],
        "required": definition.required, "display_order": definition.display_order,
        "filterable": definition.filterable,
    }


def as_definition(row: asyncpg.Record) -> AttributeDefinition:
    return define_attribute(**{name: row[name] for name in DEFINITION_FIELDS})


async def list_attributes(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [dict(row) for row in await store.list_definitions(conn)]


async def create_attribute(pool: asyncpg.Pool, *, principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    definition = _definition(values)
    try:
        async with UnitOfWork(pool, source=SOURCE) as uow:
            row = dict(await store.insert_definition(uow.conn, {"id": uuid.uuid4(), **_columns(definition)}))
            await uow.publish(events.CustomerAttributeDefined(**row), subject=row["id"])
            return row
    except asyncpg.UniqueViolationError:
        raise Conflict("key_exists", params={"key": definition.key}) from None


async def _invalidated_by(conn: asyncpg.Connection, definition: AttributeDefinition) -> bool:
    """Whether some value customers hold for the key is invalid, or would be stored differently,
    under `definition`."""
    async for value in store.distinct_values(conn, definition.key):
        try:
            cleaned = validate_values([definition], {definition.key: value}, partial=True)
        except InvalidAttributes:
            return True
        if cleaned.get(definition.key) != value:
            return True
    return False


async def update_attribute(pool: asyncpg.Pool, *, principal: Principal, attribute_id: uuid.UUID,
                           changes: dict[str, Any]) -> dict[str, Any]:
    async with UnitOfWork(pool, source=SOURCE) as uow:
        conn = uow.conn
        current = await store.get_definition(conn, attribute_id, for_update=True)
        if current is None:
            raise NotFound()
        if "key" in changes and changes["key"] != current["key"]:
            raise unprocessable([("key", "immutable", {})])
        old = as_definition(current)
        new = _definition({**{name: current[name] for name in DEFINITION_FIELDS}, **changes})
        columns = _columns(new)
        changed = [name for name, value in columns.items() if current[name] != value]
        if not changed:
            return dict(current)
        if new.type != old.type:
            if await _invalidated_by(conn, new):
                raise Conflict("attribute_in_use", params={"key": new.key})
        elif new.type in CHOICE_TYPES:
            removed = [value for value in old.option_values if value not in new.option_values]
            used = await store.options_in_use(conn, new.key, removed, multi=new.type != "select")
            if used:
                raise Conflict("attribute_option_in_use", params={"key": new.key, "options": ", ".join(used)},
                               details={"options": used})
        row = dict(await store.update_definition(conn, attribute_id, {name: columns[name] for name in changed}))
        await uow.publish(events.CustomerAttributeChanged(**row, changed=changed), subject=row["id"])
        return row


async def delete_attribute(pool: asyncpg.Pool, *, principal: Principal, attribute_id: uuid.UUID,
                           force: bool = False) -> int:
    """Delete a definition; returns how many customers lost their value (only with `force`)."""
    if force and not principal.is_admin:
        raise Forbidden()
    async with UnitOfWork(pool, source=SOURCE) as uow:
        conn = uow.conn
        current = await store.get_definition(conn, attribute_id, for_update=True)
        if current is None:
            raise NotFound()
        removed = 0
        if await store.in_use(conn, current["key"]):
            if not force:
                raise Conflict("attribute_in_use", params={"key": current["key"]})
            removed = await store.remove_values(conn, current["key"])
        await store.delete_definition(conn, attribute_id)
        await uow.publish(events.CustomerAttributeDeleted(**dict(current), forced=force, values_removed=removed),
                          subject=current["id"])
        return removed
