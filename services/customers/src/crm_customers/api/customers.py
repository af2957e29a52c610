from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StringConstraints

from crmkit.auth import CurrentPrincipal
from crmkit.idempotency import idempotent
from crm_customers.handlers import customers as handlers

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CustomerCreate(BaseModel):
    name: Name
    phone: Annotated[str, StringConstraints(min_length=1, max_length=32)]


class CustomerPublic(BaseModel):
    id: uuid.UUID
    name: str
    phone: str = Field(description="E.164, e.g. +84912345678")
    email: str | None
    lifecycle: str
    party_type: str
    status: str
    owner_id: uuid.UUID | None
    owner_unit_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


def _public(row) -> CustomerPublic:
    return CustomerPublic.model_validate(dict(row))


def _etag(row) -> str:
    return f'"{row["version"]}"'


@router.post("", status_code=201, response_model=CustomerPublic,
             responses={409: {"description": "phone_exists"}, 422: {"description": "validation_error"}})
async def create_customer(body: CustomerCreate, request: Request, principal: CurrentPrincipal) -> Response:
    pool = request.app.state.pool

    async def produce() -> Response:
        row = await handlers.create_customer(pool, principal=principal, name=body.name, phone=body.phone,
                                             correlation_id=request.state.correlation_id)
        return JSONResponse(_public(row).model_dump(mode="json"), status_code=201,
                            headers={"Location": f"/api/v1/customers/{row['id']}", "ETag": _etag(row)})

    return await idempotent(request, pool, str(principal.user_id), produce)


@router.get("/{customer_id}", response_model=CustomerPublic, responses={404: {"description": "not_found"}})
async def get_customer(customer_id: uuid.UUID, request: Request, response: Response,
                       principal: CurrentPrincipal) -> CustomerPublic:
    row = await handlers.get_customer(request.app.state.pool, principal=principal, customer_id=customer_id)
    response.headers["ETag"] = _etag(row)
    return _public(row)
