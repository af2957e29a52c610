"""Saved views (C-8): `GET, PUT /me/views/customers` — the caller's filter and display configuration."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_customers.api.customer_list import SORTS
from crm_customers.api.documented import NOT_BLANK, rules
from crm_customers.domain.selection import CustomerFilter
from crm_customers.domain.views import (
    BUILT_IN_KEYS,
    MAX_COLUMNS,
    MAX_FILTER_NAME,
    MAX_FILTERS_SHOWN,
    MAX_SAVED_FILTERS,
    MAX_WIDTH,
    MIN_WIDTH,
    SCOPES,
)
from crm_customers.handlers import views as handlers

router = APIRouter(prefix="/api/v1/me/views", tags=["saved views"])


class Column(BaseModel):
    key: str = Field(description="a built-in field (`name`, `status`...) or `attributes.<key>`")
    width: int | None = Field(None, description="pixels, 40-2000; empty = automatic")


class SavedFilter(BaseModel):
    name: str = Field(examples=["Khách nóng ở Hà Nội"])
    filter: dict[str, Any] = Field(description="the customer list's query parameters as an object",
                                   examples=[{"labels": ["hot"], "province": "01"}])


# What the domain rules accept, documented (the keys of attributes, `attr.<key>`, depend on the
# definitions and are left out of the enums).
FIELD_KEY = {"type": "string", "enum": list(BUILT_IN_KEYS)}
COLUMN = {"anyOf": [FIELD_KEY, {
    "type": "object", "required": ["key"], "additionalProperties": False,
    "properties": {"key": FIELD_KEY,
                   "width": {"anyOf": [{"type": "integer", "minimum": MIN_WIDTH, "maximum": MAX_WIDTH},
                                       {"type": "null"}]}}}]}
SAVED_FILTER = {
    "type": "object", "required": ["name", "filter"], "additionalProperties": False,
    "properties": {"name": {"type": "string", "maxLength": MAX_FILTER_NAME, "pattern": NOT_BLANK},
                   "filter": CustomerFilter.model_json_schema()}}


# Lenient input: the domain rules report every problem of the view in one 422.
class ViewWrite(BaseModel):
    """The whole view; fields left out (or null) take the default view's value."""
    model_config = ConfigDict(extra="forbid")

    filters_shown: list[Any] | None = Field(
        None, description="field keys offered as filters, in order (also `attr.<key>` of a filterable attribute)",
        json_schema_extra=rules(items=FIELD_KEY, maxItems=MAX_FILTERS_SHOWN, uniqueItems=True))
    columns: list[Any] | None = Field(
        None, description=f"columns in display order: [{{key, width?}}] (also `attr.<key>`), at most {MAX_COLUMNS}",
        json_schema_extra=rules(items=COLUMN, maxItems=MAX_COLUMNS, uniqueItems=True))
    default_scope: str | None = Field(None, description=" · ".join(SCOPES),
                                      json_schema_extra=rules(enum=[*SCOPES, None]))
    default_sort: str | None = Field(None, description="a column key, `-` in front for descending",
                                     examples=["-created_at"], json_schema_extra=rules(enum=[*SORTS, None]))
    saved_filters: list[Any] | None = Field(None, description=f"[{{name, filter}}], at most {MAX_SAVED_FILTERS}",
                                            json_schema_extra=rules(items=SAVED_FILTER, maxItems=MAX_SAVED_FILTERS))


class ViewPublic(BaseModel):
    filters_shown: list[str]
    columns: list[Column]
    default_scope: str
    default_sort: str
    saved_filters: list[SavedFilter]
    saved: bool = Field(description="false: nothing saved yet, this is the default view")
    updated_at: datetime | None


@router.get("/customers", response_model=ViewPublic)
async def get_view(pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    return await handlers.get_view(pool, principal=principal)


@router.put("/customers", response_model=ViewPublic, responses={422: {"description": "validation_error"}})
async def put_view(body: ViewWrite, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    return await handlers.put_view(pool, principal=principal,
                                   values=body.model_dump(exclude_unset=True))
