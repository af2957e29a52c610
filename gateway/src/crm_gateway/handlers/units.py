"""Use cases of the organisation tree."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Conflict, FieldError, Invalid, NotFound
from crmkit.pagination import decode_cursor, page_of
from crmkit.unit_of_work import UnitOfWork
from crmkit.versions import check_version

from crm_gateway.domain import units as rules
from crm_gateway.domain.access import reach_of, require_admin
from crm_gateway.events import UnitCreated, UnitUpdated
from crm_gateway.handlers.common import SOURCE, Identity, changed_fields, lock_tree, unit_state
from crm_gateway.store import units as store


async def create_unit(*, identity: Identity, actor: Principal, name: str, kind: str,
                      parent_id: uuid.UUID | None) -> asyncpg.Record:
    require_admin(actor)
    async with UnitOfWork(identity.pool, source=SOURCE) as uow:
        conn = uow.conn
        await lock_tree(conn)
        parent = await _referenced_unit(conn, parent_id, field="parent_id") if parent_id else None
        rules.check_placement(kind=kind, parent_kind=parent["kind"] if parent else None)
        if parent is None and await store.get_root(conn):
            raise Conflict("unit_root_exists")
        if parent is not None and await store.find_child(conn, parent["id"], name):
            raise Conflict("unit_name_exists", params={"name": name})
        unit_id = uuid.uuid4()
        path = rules.path_of(parent["path"] if parent else None, unit_id)
        row = await store.insert(conn, unit_id=unit_id, name=name, kind=kind, parent_id=parent_id,
                                 path=path, depth=rules.depth_of(path))
        await uow.publish(UnitCreated(**unit_state(row)), subject=unit_id)
        return row


async def update_unit(*, identity: Identity, actor: Principal, unit_id: uuid.UUID, changes: dict[str, Any],
                      expected_version: int | None) -> asyncpg.Record:
    """Rename, change the level, or move the unit (with its whole subtree) under another parent."""
    require_admin(actor)
    async with UnitOfWork(identity.pool, source=SOURCE) as uow:
        conn = uow.conn
        await lock_tree(conn)
        unit = await store.get(conn, unit_id, for_update=True)
        if unit is None:
            raise NotFound("unit_not_found")
        check_version(unit["version"], expected_version)
        changes = changed_fields(unit, changes)
        if not changes:
            return unit
        new_parent = await _check_new_shape(conn, unit, changes)
        await _check_sibling_name(conn, unit, changes)
        updated = await store.update(conn, unit_id, changes)
        moved = []
        if "parent_id" in changes:
            new_path = rules.path_of(new_parent["path"] if new_parent else None, unit_id)
            moved = await store.move_subtree(conn, old_path=unit["path"], new_path=new_path, moved_root=unit_id)
            updated = next(r for r in moved if r["id"] == unit_id)
        await _publish_updates(uow, updated, moved, changes)
        return updated


async def get_unit(*, identity: Identity, actor: Principal, unit_id: uuid.UUID) -> asyncpg.Record:
    row = await store.get_visible(identity.pool, unit_id, reach_of(actor))
    if row is None:
        raise NotFound("unit_not_found")
    return row


async def list_units(*, identity: Identity, actor: Principal, kind: str | None = None,
                     parent_id: uuid.UUID | None = None, under: uuid.UUID | None = None, q: str | None = None,
                     cursor: str | None = None, limit: int = 50) -> tuple[list[asyncpg.Record], str | None]:
    rows = await store.list_page(identity.pool, reach=reach_of(actor), kind=kind, parent_id=parent_id,
                                 under=under, q=q, after=decode_cursor(cursor, store.UnitPosition), limit=limit)
    return page_of(rows, limit, store.cursor_of)


async def _referenced_unit(conn: asyncpg.Connection, unit_id: uuid.UUID, *, field: str) -> asyncpg.Record:
    unit = await store.get(conn, unit_id)
    if unit is None:
        raise Invalid(FieldError(field, "not_found"), code="unit_not_found")
    return unit


async def _check_new_shape(conn: asyncpg.Connection, unit: asyncpg.Record, changes: dict[str, Any]) -> asyncpg.Record | None:
    """Level and parent rules of the unit after the change; returns the new parent when it moves."""
    kind = changes.get("kind", unit["kind"])
    parent_id = changes.get("parent_id", unit["parent_id"])
    parent = await _referenced_unit(conn, parent_id, field="parent_id") if parent_id else None
    if "parent_id" in changes and parent is not None:
        rules.check_no_cycle(unit_path=unit["path"], new_parent_path=parent["path"])
    rules.check_placement(kind=kind, parent_kind=parent["kind"] if parent else None)
    if parent is None and unit["parent_id"] is not None:
        raise Conflict("unit_root_exists")
    if "kind" in changes:
        rules.check_children_fit(kind=kind, child_kinds=await store.child_kinds(conn, unit["id"]))
    return parent


async def _check_sibling_name(conn: asyncpg.Connection, unit: asyncpg.Record, changes: dict[str, Any]) -> None:
    parent_id = changes.get("parent_id", unit["parent_id"])
    name = changes.get("name", unit["name"])
    if parent_id is None or not ({"name", "parent_id"} & changes.keys()):
        return
    sibling = await store.find_child(conn, parent_id, name)
    if sibling is not None and sibling["id"] != unit["id"]:
        raise Conflict("unit_name_exists", params={"name": name})


async def _publish_updates(uow: UnitOfWork, updated: asyncpg.Record, moved: list[asyncpg.Record],
                           changes: dict[str, Any]) -> None:
    """One unit.updated for the changed unit and one for every unit that moved with it."""
    changed = sorted(changes.keys() | ({"path", "depth"} if moved else set()))
    await uow.publish(UnitUpdated(**unit_state(updated), changed=changed), subject=updated["id"])
    for row in moved:
        if row["id"] != updated["id"]:
            await uow.publish(UnitUpdated(**unit_state(row), changed=["depth", "path"]), subject=row["id"])
