"""/api/v1/units: the organisation tree (admins write; managers read their subtree)."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.idempotency import Idempotent
from crmkit.pagination import Cursor, Limit
from crmkit.versions import RequiredVersion

from crm_gateway.api.common import ADMIN_ONLY, Caller, IdentityDep, NotNull, changes_of, json_response, on_transaction
from crm_gateway.domain.access import require_admin
from crm_gateway.handlers import units as handlers

router = APIRouter(prefix="/api/v1/units", tags=["units"])
UnitKind = Literal["company", "branch", "department", "team"]
UnitName = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: UnitName
    kind: UnitKind
    parent_id: uuid.UUID | None = None


class UnitUpdate(BaseModel):
    """Any subset; a new `parent_id` moves the unit with its whole subtree."""

    model_config = ConfigDict(extra="forbid")
    name: UnitName | NotNull = None
    kind: UnitKind | NotNull = None
    parent_id: uuid.UUID | None = None


class UnitPublic(BaseModel):
    id: uuid.UUID
    name: str
    kind: UnitKind
    parent_id: uuid.UUID | None
    path: str
    depth: int
    version: int
    created_at: datetime
    updated_at: datetime


class UnitPage(BaseModel):
    items: list[UnitPublic]
    next_cursor: str | None = None


def to_public(row: Mapping[str, Any]) -> UnitPublic:
    return UnitPublic(**{name: row[name] for name in UnitPublic.model_fields})


@router.get("", response_model=UnitPage, summary="List units (admins: all; managers: their subtree)")
async def list_units(identity: IdentityDep, principal: Caller, limit: Limit = 50, cursor: Cursor = None,
                     kind: UnitKind | None = None, parent_id: uuid.UUID | None = None,
                     under: Annotated[uuid.UUID | None, Query(description="only this unit's subtree")] = None,
                     q: Annotated[str | None, Query(max_length=100)] = None) -> UnitPage:
    rows, next_cursor = await handlers.list_units(identity=identity, actor=principal, kind=kind, parent_id=parent_id,
                                                  under=under, q=q, cursor=cursor, limit=limit)
    return UnitPage(items=[to_public(r) for r in rows], next_cursor=next_cursor)


@router.post("", status_code=201, response_model=UnitPublic, summary="Create a unit (admin; Idempotency-Key)",
             responses={**ADMIN_ONLY,
                        409: {"description": "unit_root_exists, unit_name_exists; idempotency_in_flight"}})
async def create_unit(body: UnitCreate, identity: IdentityDep, principal: Caller, once: Idempotent) -> Response:
    require_admin(principal)
    row = await handlers.create_unit(identity=on_transaction(identity, once), actor=principal,
                                     name=body.name.strip(), kind=body.kind, parent_id=body.parent_id)
    return once.answer(json_response(to_public(row), status_code=201, version=row["version"],
                                     location=f"/api/v1/units/{row['id']}"))


@router.get("/{unit_id}", response_model=UnitPublic, summary="A unit (with ETag)")
async def get_unit(unit_id: uuid.UUID, identity: IdentityDep, principal: Caller) -> Response:
    row = await handlers.get_unit(identity=identity, actor=principal, unit_id=unit_id)
    return json_response(to_public(row), version=row["version"])


@router.patch("/{unit_id}", response_model=UnitPublic, summary="Rename, re-level or move a unit (admin; If-Match)",
              responses={**ADMIN_ONLY, 409: {"description": "unit_name_exists, unit_cycle (under its own subtree),"
                                                      " unit_root_exists (a second company root)"}})
async def update_unit(unit_id: uuid.UUID, body: UnitUpdate, identity: IdentityDep, principal: Caller,
                      version: RequiredVersion) -> Response:
    require_admin(principal)
    changes = changes_of(body)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    row = await handlers.update_unit(identity=identity, actor=principal, unit_id=unit_id, changes=changes,
                                     expected_version=version)
    return json_response(to_public(row), version=row["version"])
