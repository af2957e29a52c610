"""What the HTTP layer of every identity resource shares: dependencies, ETags, idempotent creates."""
from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema

from crmkit import versions
from crmkit.auth import CurrentPrincipal, Principal
from crmkit.errors import FieldError, ProblemError
from crmkit.idempotency import Once

from crm_gateway.handlers.common import Identity
from crm_gateway.ratelimit import limit_principal


async def get_identity(request: Request) -> Identity:
    return request.app.state.identity


async def caller(request: Request, principal: CurrentPrincipal) -> Principal:
    """The authenticated caller, counted against their rate limit."""
    limit_principal(request, principal)
    return principal


IdentityDep = Annotated[Identity, Depends(get_identity)]
# `field: X | NotNull = None` in an update: may be left out, but `null` is refused (changes_of) and
# the OpenAPI document does not offer it
NotNull = SkipJsonSchema[None]
# what an operation for admins only answers others (require_admin), for its OpenAPI document
ADMIN_ONLY: dict[int | str, dict[str, Any]] = {403: {"description": "forbidden: for admins only"}}
Caller = Annotated[Principal, Depends(caller)]


def json_response(model: BaseModel, *, status_code: int = 200, version: int | None = None,
                  location: str | None = None) -> Response:
    headers = {}
    if version is not None:
        headers["ETag"] = versions.etag(version)
    if location:
        headers["Location"] = location
    return JSONResponse(model.model_dump(mode="json"), status_code=status_code, headers=headers)


def on_transaction(identity: Identity, once: Once) -> Identity:
    """The identity use cases run on the idempotent request's transaction (crmkit.idempotency)."""
    return replace(identity, pool=once.pool)


def changes_of(body: BaseModel) -> dict[str, Any]:
    """The fields the client sent; `null` is refused for the fields that cannot be empty (NotNull)."""
    changes = body.model_dump(exclude_unset=True)
    nulls = [FieldError(name, "required") for name, value in changes.items()
             if value is None and name not in _nullable_fields(type(body))]
    if nulls:
        raise ProblemError(422, "validation_error", errors=nulls)
    return changes


@cache
def _nullable_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields whose published schema admits null."""
    properties = model.model_json_schema()["properties"]
    return frozenset(name for name, schema in properties.items()
                     if {"type": "null"} in schema.get("anyOf", []) or schema.get("type") == "null")
