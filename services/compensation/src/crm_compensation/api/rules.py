"""The admins' configuration of the review: auto-decision rules and the settings (abuse guard, SLA)."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.versions import RequiredVersion, versioned

from crm_compensation.handlers import rules as handlers

router = APIRouter(prefix="/api/v1", tags=["compensation rules"])
RESPONSES: dict[int | str, dict[str, Any]] = {403: {"description": "not_admin"}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
Kind = Literal["min_calls_with_outcome", "duplicate_of_provider_lead"]
Decision = Literal["approved", "rejected"]
ReasonCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,49}$")]


class RuleParams(BaseModel):
    """`min_calls_with_outcome`: both; `duplicate_of_provider_lead`: none."""
    model_config = ConfigDict(extra="forbid")

    min_calls: int | None = Field(None, ge=1, le=100)
    outcome: Annotated[str | None, Field(pattern=r"^[a-z][a-z0-9_]{1,49}$", examples=["wrong_number"])] = None


class RuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: ReasonCode
    kind: Kind
    params: RuleParams = Field(default_factory=RuleParams)
    decision: Decision = "approved"
    active: bool = True
    position: int = Field(0, ge=0, le=10_000, description="rules apply in this order; the first that holds decides")


class RuleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: ReasonCode | None = None
    kind: Kind | None = None
    params: RuleParams | None = None
    decision: Decision | None = None
    active: bool | None = None
    position: int | None = Field(None, ge=0, le=10_000)


class RulePublic(BaseModel):
    id: uuid.UUID
    reason_code: str
    kind: Kind
    params: dict[str, Any]
    decision: Decision
    active: bool
    position: int
    created_by: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


class SettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    abuse_multiple: Decimal | None = Field(None, ge=1, le=1000, max_digits=6, decimal_places=2)
    abuse_min_requests: int | None = Field(None, ge=1, le=100_000)
    review_sla_hours: int | None = Field(None, ge=1, le=8760)


class SettingsPublic(BaseModel):
    abuse_multiple: Decimal = Field(description="flagged above this multiple of the peers' median request rate")
    abuse_min_requests: int = Field(description="and with at least this many requests")
    review_sla_hours: int
    version: int
    updated_at: datetime


def _changes(body: BaseModel) -> dict[str, Any]:
    return {name: value for name, value in body.model_dump(exclude_unset=True).items() if value is not None}


@router.get("/compensation-rules", response_model=list[RulePublic], responses=RESPONSES)
async def list_rules(pool: DbPool, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """The auto-decision rules, in the order they apply."""
    return await handlers.list_rules(pool, principal=principal)


@router.post("/compensation-rules", status_code=201, response_model=RulePublic, responses={
    **RESPONSES, 422: {"description": "validation_error (unknown_reason, params.* required)"}})
async def create_rule(body: RuleCreate, principal: CurrentPrincipal, once: Idempotent) -> Response:
    rule = await handlers.create_rule(once.pool, principal=principal, reason_code=body.reason_code, kind=body.kind,
                                      params=body.params.model_dump(exclude_none=True), decision=body.decision,
                                      active=body.active, position=body.position)
    return once.answer(versioned(RulePublic, rule, 201, {"Location": f"/api/v1/compensation-rules/{rule['id']}"}))


@router.get("/compensation-rules/{rule_id}", response_model=RulePublic, responses={**RESPONSES, **NOT_FOUND})
async def get_rule(rule_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    return versioned(RulePublic, await handlers.get_rule(pool, principal=principal, rule_id=rule_id))


@router.patch("/compensation-rules/{rule_id}", response_model=RulePublic, responses={**RESPONSES, **NOT_FOUND})
async def update_rule(rule_id: uuid.UUID, body: RuleUpdate, pool: DbPool, principal: CurrentPrincipal,
                      version: RequiredVersion) -> Response:
    changes = _changes(body)
    if body.params is not None:
        changes["params"] = body.params.model_dump(exclude_none=True)
    rule = await handlers.update_rule(pool, principal=principal, rule_id=rule_id, expected_version=version,
                                      changes=changes)
    return versioned(RulePublic, rule)


@router.delete("/compensation-rules/{rule_id}", status_code=204, responses={**RESPONSES, **NOT_FOUND})
async def delete_rule(rule_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    await handlers.delete_rule(pool, principal=principal, rule_id=rule_id)
    return Response(status_code=204)


@router.get("/compensation-settings", response_model=SettingsPublic, responses=RESPONSES)
async def get_settings(pool: DbPool, principal: CurrentPrincipal) -> Response:
    return versioned(SettingsPublic, await handlers.get_settings(pool, principal=principal))


@router.patch("/compensation-settings", response_model=SettingsPublic, responses=RESPONSES)
async def update_settings(body: SettingsUpdate, pool: DbPool, principal: CurrentPrincipal,
                          version: RequiredVersion) -> Response:
    settings = await handlers.update_settings(pool, principal=principal, expected_version=version,
                                              changes=_changes(body))
    return versioned(SettingsPublic, settings)
