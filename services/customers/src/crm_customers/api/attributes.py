"""Attribute definitions (C-3): `GET, POST /customer-attributes`, `PATCH, DELETE /customer-attributes/{id}`."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal, require_roles
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent

from crm_customers.api.documented import KEY, NOT_BLANK, NotNull, rules, text
from crm_customers.domain.attributes import (
    CHOICE_TYPES,
    MAX_OPTIONS,
    NAME_MAX_LENGTH,
    OPTION_LABEL_MAX_LENGTH,
    OPTION_VALUE_MAX_LENGTH,
    AttributeType,
)
from crm_customers.handlers import attributes as handlers

router = APIRouter(prefix="/api/v1/customer-attributes", tags=["customer attributes"])
ADMIN_ONLY = [require_roles()]  # admins only

TYPES = "text, number, date, boolean, select, multi-select, phone, email, url"


class AttributeOption(BaseModel):
    value: str
    label: str


OPTION = {"type": "object", "required": ["value", "label"],
          "properties": {"value": {"type": "string", "maxLength": OPTION_VALUE_MAX_LENGTH, "pattern": NOT_BLANK},
                         "label": {"type": "string", "maxLength": OPTION_LABEL_MAX_LENGTH, "pattern": NOT_BLANK}}}
# options are required by the choice types and refused by the others
OPTIONS_BY_TYPE: dict[str, Any] = {
    "if": {"required": ["type"], "properties": {"type": {"enum": sorted(CHOICE_TYPES)}}},
    "then": {"required": ["options"], "properties": {"options": {"type": "array", "minItems": 1}}},
    "else": {"properties": {"options": {"anyOf": [{"type": "null"}, {"type": "array", "maxItems": 0}]}}},
}


# Lenient types: the domain rules check the definition and report every problem in one 422.
class AttributeFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | NotNull = Field(None, examples=["Thu nhập hàng tháng"], json_schema_extra=text(NAME_MAX_LENGTH))
    type: str | NotNull = Field(None, description=TYPES, examples=["select"],
                                json_schema_extra=rules(enum=[member.value for member in AttributeType]))
    options: list[Any] | None = Field(None, description="select / multi-select: [{value, label}]",
                                      examples=[[{"value": "lt10", "label": "Dưới 10 triệu"}]],
                                      json_schema_extra=rules(items=OPTION, maxItems=MAX_OPTIONS))
    required: bool | None = None
    display_order: int | None = Field(None, description="position in forms and lists (ascending)")
    filterable: bool | None = Field(None, description="offered as a filter of the customer list")


class AttributeCreate(AttributeFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["key", "name", "type"],
                                                                 **OPTIONS_BY_TYPE})

    key: str | NotNull = Field(None, description="stable identifier: a-z, 0-9, _; never changes", examples=["income"],
                               json_schema_extra=rules(**KEY))


class AttributeUpdate(AttributeFields):
    """Only the fields sent change; the key cannot change (it may be repeated unchanged)."""

    key: str | None = Field(None, description="must equal the current key")


class AttributePublic(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    type: str
    options: list[AttributeOption]
    required: bool
    display_order: int
    filterable: bool
    created_at: datetime
    updated_at: datetime


def _respond(item: dict[str, Any], status_code: int = 200, headers: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(AttributePublic.model_validate(item).model_dump(mode="json"), status_code=status_code,
                        headers=headers)


def _values(body: BaseModel) -> dict[str, Any]:
    """The fields sent; an explicit null means "the default" (no options, not required, order 0...)."""
    defaults = {"options": [], "required": False, "display_order": 0, "filterable": False}
    return {name: defaults.get(name) if value is None else value
            for name, value in body.model_dump(exclude_unset=True).items()}


@router.get("", response_model=list[AttributePublic])
async def list_attributes(pool: DbPool, principal: CurrentPrincipal) -> list[AttributePublic]:
    """Every definition, in display order."""
    return [AttributePublic.model_validate(item) for item in await handlers.list_attributes(pool)]


@router.post("", status_code=201, response_model=AttributePublic, dependencies=ADMIN_ONLY,
             responses={409: {"description": "key_exists"}, 422: {"description": "validation_error"}})
async def create_attribute(body: AttributeCreate, principal: CurrentPrincipal,
                           once: Idempotent) -> Response:
    item = await handlers.create_attribute(once.pool, principal=principal, values=_values(body))
    return once.answer(_respond(item, 201, {"Location": f"/api/v1/customer-attributes/{item['id']}"}))


@router.patch("/{attribute_id}", response_model=AttributePublic, dependencies=ADMIN_ONLY, responses={
    404: {"description": "not_found"}, 409: {"description": "attribute_in_use / attribute_option_in_use"},
    422: {"description": "validation_error"}})
async def update_attribute(attribute_id: uuid.UUID, body: AttributeUpdate, pool: DbPool,
                           principal: CurrentPrincipal) -> Response:
    item = await handlers.update_attribute(pool, principal=principal, attribute_id=attribute_id,
                                           changes=_values(body))
    return _respond(item)


@router.delete("/{attribute_id}", status_code=204, dependencies=ADMIN_ONLY, responses={
    404: {"description": "not_found"}, 409: {"description": "attribute_in_use"}})
async def delete_attribute(attribute_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                           force: bool = Query(False, description="also remove the values customers hold")) -> Response:
    removed = await handlers.delete_attribute(pool, principal=principal, attribute_id=attribute_id,
                                              force=force)
    return Response(status_code=204, headers={"X-Values-Removed": str(removed)})
