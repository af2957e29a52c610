"""Saved views (C-8): `GET, PUT /me/views/customers` — the caller's filter and display configuration."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crm_customers.domain.views import MAX_COLUMNS, MAX_SAVED_FILTERS, SCOPES
from crm_customers.handlers import views as handlers

router = APIRouter(prefix="/api/v1/me/views", tags=["saved views"])


class Column(BaseModel):
    key: str = Field(description="a built-in field (`name`, `status`...) or `attributes.<key>`")
    width: int | None = Field(None, description="pixels, 40-2000; empty = automatic")


class SavedFilter(BaseModel):
    name: str = Field(examples=["Khách nóng ở Hà Nội"])
    filter: dict[str, Any] = Field(description="the customer list's query parameters as an object",
                                   examples=[{"labels": ["hot"], "province": "01"}])


# Lenient input: the domain rules report every problem of the view in one 422.
class ViewWrite(BaseModel):
    """The whole view; fields left out take the default view's value."""
    model_config = ConfigDict(extra="forbid")

    filters_shown: list[Any] | None = Field(None, description="field keys offered as filters, in order")
    columns: list[Any] | None = Field(None, description=f"columns in display order: [{{key, width?}}], at most {MAX_COLUMNS}")
    default_scope: str | None = Field(None, description=" · ".join(SCOPES))
    default_sort: str | None = Field(None, description="a column key, `-` in front for descending", examples=["-created_at"])
    saved_filters: list[Any] | None = Field(None, description=f"[{{name, filter}}], at most {MAX_SAVED_FILTERS}")


class ViewPublic(BaseModel):
    filters_shown: list[str]
    columns: list[Column]
    default_scope: str
    default_sort: str
    saved_filters: list[SavedFilter]
    saved: bool = Field(description="false: nothing saved yet, this is the default view")
    updated_at: datetime | None


@router.get("/customers", response_model=ViewPublic)
async def get_view(request: Request, principal: CurrentPrincipal):
    return await handlers.get_view(request.app.state.pool, principal=principal)


@router.put("/customers", response_model=ViewPublic, responses={422: {"description": "validation_error"}})
async def put_view(body: ViewWrite, request: Request, principal: CurrentPrincipal):
    return await handlers.put_view(request.app.state.pool, principal=principal,
                                   values=body.model_dump(exclude_unset=True),
                                   correlation_id=request.state.correlation_id)
