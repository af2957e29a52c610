"""The reasons' catalogue for requests for compensation."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from crmkit import i18n
from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_compensation.handlers import reasons as handlers

router = APIRouter(prefix="/api/v1", tags=["compensation"])
ReasonName = Annotated[str, Field(min_length=1, max_length=200)]


class ReasonPut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name_vi: ReasonName
    name_en: ReasonName
    counts_calls: bool = Field(False, description="the package policy's minimum of call attempts applies")
    active: bool = True


class ReasonPublic(BaseModel):
    code: str
    name: str = Field(description="in the caller's language (Accept-Language)")
    name_vi: str
    name_en: str
    counts_calls: bool
    active: bool
    position: int
    updated_at: datetime


def _language(request: Request) -> str:
    return i18n.language(request.headers.get("accept-language"))


@router.get("/compensation-reasons", response_model=list[ReasonPublic])
async def list_reasons(request: Request, pool: DbPool, principal: CurrentPrincipal) -> list[dict[str, object]]:
    return await handlers.list_reasons(pool, language=_language(request))


@router.put("/compensation-reasons/{code}", response_model=ReasonPublic, responses={
    403: {"description": "not_admin"}})
async def put_reason(request: Request, body: ReasonPut, pool: DbPool, principal: CurrentPrincipal,
                     code: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,49}$")]) -> dict[str, object]:
    """Admins: create or change a reason."""
    return await handlers.put(pool, principal=principal, code=code, name_vi=body.name_vi, name_en=body.name_en,
                              counts_calls=body.counts_calls, active=body.active, language=_language(request))
