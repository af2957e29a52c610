"""Territories (A-3, issue 13): admins and managers map each of the 34 provinces of 2025 to the unit
whose reps cover it; a distribution `by_province` deals each customer among the chosen reps of its
province's unit. Admins map anywhere; a manager maps only to units within their subtree, and only
provinces unmapped or mapped within it (another branch's province is not theirs to take). Reps
neither read nor write the map."""
from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from crmkit import directory
from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Forbidden, Invalid, NotFound
from crmkit.provinces import current_provinces

from crm_assignment.handlers import access
from crm_assignment.store import territories as store


def _province(province_code: int) -> str:
    province = current_provinces().get(province_code)
    if province is None:
        raise NotFound()
    return province.name


def _entry(province_code: int, name: str, row: asyncpg.Record | None) -> dict[str, Any]:
    return {"province_code": province_code, "province_name": name,
            "unit_id": row["unit_id"] if row else None, "unit_path": row["unit_path"] if row else None,
            "unit_name": row["unit_name"] if row else None}


async def list_territories(pool: asyncpg.Pool, *, principal: Principal) -> list[dict[str, Any]]:
    """The 34 provinces in code order, each with its unit (null: unmapped)."""
    access.reach(principal)
    async with pool.acquire() as conn:
        rows = {r["province_code"]: r for r in await store.mapped(conn)}
    return [_entry(code, province.name, rows.get(code)) for code, province in current_provinces().items()]


def _within_reach(principal: Principal, path: str | None) -> None:
    if not access.within(path, access.reach(principal)):
        raise Forbidden("territory_out_of_reach")


async def set_territory(pool: asyncpg.Pool, *, principal: Principal, province_code: int, unit_id: uuid.UUID
                        ) -> dict[str, Any]:
    name = _province(province_code)
    access.reach(principal)
    async with pool.acquire() as conn, conn.transaction():
        unit = await directory.get_unit(conn, unit_id)
        if unit is None:
            raise Invalid(FieldError("unit_id", "unknown_unit"), code="unknown_unit")
        _within_reach(principal, unit["path"])
        current = await store.get(conn, province_code, lock=True)
        if current is not None:
            _within_reach(principal, current["unit_path"])
        await store.put(conn, province_code=province_code, unit_id=unit_id, updated_by=principal.user_id)
        return _entry(province_code, name, await store.get(conn, province_code))


async def clear_territory(pool: asyncpg.Pool, *, principal: Principal, province_code: int) -> None:
    """Unmap a province (already unmapped: nothing to do)."""
    _province(province_code)
    access.reach(principal)
    async with pool.acquire() as conn, conn.transaction():
        current = await store.get(conn, province_code, lock=True)
        if current is not None:
            _within_reach(principal, current["unit_path"])
            await store.delete(conn, province_code)
