"""Territories (A-3, issue 13): the 34 provinces of 2025 and the unit covering each, for
distributions `by_province`. Read: admins and managers; write: admins anywhere, managers within
their subtree (handlers.territories)."""
from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_assignment.handlers import territories as handlers

router = APIRouter(prefix="/api/v1/territories", tags=["assignment"])
ProvinceCode = Annotated[int, Path(ge=1, le=999, description="GSO code of a province of 2025 (e.g. 79: Hồ Chí Minh)")]


class TerritoryPublic(BaseModel):
    province_code: int
    province_name: str
    unit_id: uuid.UUID | None
    unit_path: str | None
    unit_name: str | None


class TerritoryList(BaseModel):
    items: list[TerritoryPublic]


class TerritoryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: uuid.UUID


@router.get("", response_model=TerritoryList, responses={403: {"description": "not_a_distributor"}})
async def list_territories(pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    """Every province with the unit covering it (null: none)."""
    return {"items": await handlers.list_territories(pool, principal=principal)}


@router.put("/{province_code}", response_model=TerritoryPublic, responses={
    403: {"description": "not_a_distributor, territory_out_of_reach"}, 404: {"description": "not_found"},
    422: {"description": "validation_error, unknown_unit"}})
async def set_territory(province_code: ProvinceCode, body: TerritoryUpdate, pool: DbPool,
                        principal: CurrentPrincipal) -> dict[str, Any]:
    """Map the province to a unit: its reps (and those of units below it) cover it."""
    return await handlers.set_territory(pool, principal=principal, province_code=province_code, unit_id=body.unit_id)


@router.delete("/{province_code}", status_code=204, responses={
    403: {"description": "not_a_distributor, territory_out_of_reach"}, 404: {"description": "not_found"}})
async def clear_territory(province_code: ProvinceCode, pool: DbPool, principal: CurrentPrincipal) -> Response:
    await handlers.clear_territory(pool, principal=principal, province_code=province_code)
    return Response(status_code=204)
