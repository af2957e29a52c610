"""/api/v1/api-keys: integrator keys (admin). The secret is shown once, only its sha256 is stored."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.pagination import Cursor, Limit

from crm_gateway.api.common import ADMIN_ONLY, Caller, IdentityDep, json_response
from crm_gateway.domain.access import PERMISSIONS
from crm_gateway.handlers import api_keys as handlers

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"], responses=ADMIN_ONLY)
Permission = Annotated[str, Field(min_length=1, max_length=64, json_schema_extra={"enum": sorted(PERMISSIONS)})]


class ApiKeyCreate(BaseModel):
    """`permissions`: """ + "; ".join(f"`{name}` ({what})" for name, what in sorted(PERMISSIONS.items())) + """.
    Any other name is refused (422 `unknown_permission`). Without `user_id` the key belongs to the
    service account named after it."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")]
    permissions: Annotated[list[Permission], Field(max_length=50)] = []
    rate_limit_per_minute: Annotated[int | None, Field(ge=1, le=100_000)] = None
    user_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None


class ApiKeyPublic(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str
    user_id: uuid.UUID
    permissions: list[str]
    rate_limit_per_minute: int | None
    created_by: uuid.UUID | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="the secret: shown only in this response; send it as X-API-Key")


class ApiKeyPage(BaseModel):
    items: list[ApiKeyPublic]
    next_cursor: str | None = None


def to_public(row: Mapping[str, Any]) -> ApiKeyPublic:
    return ApiKeyPublic(**{name: row[name] for name in ApiKeyPublic.model_fields})


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="Create an API key (admin)",
             description="The secret is returned once. Idempotency-Key is not honoured here: replaying the "
                         "response would require storing the secret.",
             responses={409: {"description": "username_exists: the key's name is a person's username"}})
async def create_api_key(body: ApiKeyCreate, identity: IdentityDep, principal: Caller) -> Response:
    created = await handlers.create_api_key(
        identity=identity, actor=principal, name=body.name, permissions=list(body.permissions),
        rate_limit_per_minute=body.rate_limit_per_minute, user_id=body.user_id, unit_id=body.unit_id)
    public = ApiKeyCreated(**to_public(created.row).model_dump(), key=created.secret)
    response = json_response(public, status_code=201, location=f"/api/v1/api-keys/{created.row['id']}")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("", response_model=ApiKeyPage, summary="List API keys (admin)")
async def list_api_keys(identity: IdentityDep, principal: Caller, limit: Limit = 50, cursor: Cursor = None,
                        include_revoked: bool = False) -> ApiKeyPage:
    rows, next_cursor = await handlers.list_api_keys(identity=identity, actor=principal,
                                                     include_revoked=include_revoked, cursor=cursor, limit=limit)
    return ApiKeyPage(items=[to_public(r) for r in rows], next_cursor=next_cursor)


@router.delete("/{key_id}", status_code=204, summary="Revoke an API key (admin)")
async def revoke_api_key(key_id: uuid.UUID, request: Request, identity: IdentityDep, principal: Caller) -> Response:
    await handlers.revoke_api_key(identity=identity, actor=principal, key_id=key_id)
    request.app.state.service_tokens.forget_key(key_id)
    return Response(status_code=204)
