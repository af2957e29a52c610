from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.versions import IfMatch, etag, expected_version, versioned

from crm_customers.api.documented import NOT_BLANK, NotNull, rules
from crm_customers.handlers import customers as handlers

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])

# Lenient types on input: the domain rules normalise the values and report every problem of a
# write in one 422 (pydantic only rejects a wrong JSON shape).
Text = str | None
TextOrNumber = str | int | None
Ids = list[uuid.UUID] | None


class ProvinceRef(BaseModel):
    """A province as a customer reads it: `{code, name}`; either one is enough, both must agree."""
    model_config = ConfigDict(extra="forbid")

    code: StrictInt | str | None = None
    name: str | None = None


class CustomerFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(None, description="required on creation", examples=["Nguyễn Văn An"])
    phone: Text = Field(None, description="required on creation; any common writing, stored as E.164",
                        examples=["0912 345 678"])
    email: Text = None
    birthday: Text = Field(None, description="yyyy-mm-dd or dd/mm/yyyy")
    province: str | StrictInt | ProvinceRef | None = Field(
        None, description="name (current or pre-2025, diacritics optional), GSO code, or the `{code, name}` "
                          "object a customer reads as")
    gender: Text = Field(None, description="male, female, other (or Nam, Nữ, Khác)")
    address: Text = None
    source: Text = None
    customer_type: Text = None
    company_name: Text = None
    tax_code: Text = Field(None, description="10 digits, or 10 + '-' + 3 branch digits")
    position: Text = None
    note: Text = None
    party_type: Text = Field(None, description="individual or organization")
    organization_size: TextOrNumber = Field(None, description="1-9, 10-49, 50-199, 200-499, 500-999, 1000+ or a head count")
    founding_date: Text = None
    industry: Text = None
    description: Text = None
    contact_person: Text = None
    lifecycle: Text = Field(None, description="lead or customer")
    status: Text = Field(None, description="key of a configured status")
    labels: list[str] | None = Field(None, description="keys of configured labels")
    groups: Ids = Field(None, description="ids of customer groups")
    attributes: dict[str, Any] | None = Field(None, description="values of the defined attributes, by key")
    owner_id: uuid.UUID | None = Field(None, description="managers and admins: a user in reach; empty = unassigned")
    referred_by: uuid.UUID | None = Field(None, description="the customer who referred this one")


class CustomerCreate(CustomerFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["name", "phone"]})


class CustomerUpdate(CustomerFields):
    """Only the fields sent change; `null` clears a field (name, phone and status cannot be cleared)."""

    name: str | NotNull = Field(None, json_schema_extra=rules(pattern=NOT_BLANK))
    phone: str | NotNull = Field(None, description="any common writing, stored as E.164",
                                 json_schema_extra=rules(pattern=NOT_BLANK))
    status: str | NotNull = Field(None, description="key of a configured status", json_schema_extra=rules())
    party_type: str | NotNull = Field(None, description="individual or organization",
                                      json_schema_extra=rules(pattern=NOT_BLANK))
    lifecycle: str | NotNull = Field(None, description="lead or customer", json_schema_extra=rules(pattern=NOT_BLANK))


class ProvincePublic(BaseModel):
    code: int
    name: str


class CustomerPublic(BaseModel):
    id: uuid.UUID
    name: str
    phone: str = Field(description="E.164, e.g. +84912345678")
    email: str | None
    birthday: date | None
    province: ProvincePublic | None
    gender: str | None
    address: str | None
    source: str | None
    customer_type: str | None
    company_name: str | None
    tax_code: str | None
    position: str | None
    note: str | None
    party_type: str
    organization_size: str | None
    founding_date: date | None
    industry: str | None
    description: str | None
    contact_person: str | None
    lifecycle: str
    status: str
    labels: list[str]
    groups: list[uuid.UUID]
    attributes: dict[str, Any]
    owner_id: uuid.UUID | None
    owner_unit_id: uuid.UUID | None
    owner_unit_path: str | None
    holder_id: uuid.UUID | None
    viewer_ids: list[uuid.UUID]
    referred_by: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


class CustomerCounts(BaseModel):
    """Kept from the interactions service's events (a local read model: may lag by a moment)."""
    timeline: int
    care_tickets: int
    open_support_tickets: int
    attachments: int
    comments: int


class CustomerDetail(CustomerPublic):
    """The detail (C-14): the record and the counts of what other services keep about it."""
    counts: CustomerCounts


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(None, description="key of a configured status", examples=["potential"])
    note: str | None = Field(None, description="kept in the customer's history", examples=["Khách hẹn gọi lại"])


def _customer_response(customer: dict[str, Any], status_code: int = 200, headers: dict[str, Any] | None = None) -> Response:
    return versioned(CustomerPublic, customer, status_code, headers)


CUSTOMER_RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}


@router.post("", status_code=201, response_model=CustomerPublic,
             responses={409: {"description": "phone_exists"}, 422: {"description": "validation_error"}})
async def create_customer(body: CustomerCreate, principal: CurrentPrincipal,
                          once: Idempotent) -> Response:
    customer = await handlers.create_customer(once.pool, principal=principal, **body.model_dump(exclude_unset=True))
    return once.answer(_customer_response(customer, 201, {"Location": f"/api/v1/customers/{customer['id']}"}))


@router.get("/{customer_id:uuid}", response_model=CustomerDetail, responses=CUSTOMER_RESPONSES)
async def get_customer(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """The detail (C-14); the `ETag` is the record's version (the counts are not versioned)."""
    customer, counts = await handlers.get_customer_detail(pool, principal=principal,
                                                          customer_id=customer_id)
    body = CustomerDetail.model_validate({**customer, "counts": counts}).model_dump_json()
    return Response(body, media_type="application/json", headers={"ETag": etag(customer["version"])})


@router.patch("/{customer_id:uuid}", response_model=CustomerPublic, responses={
    **CUSTOMER_RESPONSES, 403: {"description": "not_editable"}, 409: {"description": "phone_exists"},
    412: {"description": "version_conflict"}, 422: {"description": "validation_error"},
    428: {"description": "precondition_required"}})
async def update_customer(customer_id: uuid.UUID, body: CustomerUpdate, pool: DbPool,
                          principal: CurrentPrincipal, if_match: IfMatch = None) -> Response:
    customer = await handlers.update_customer(
        pool, principal=principal, customer_id=customer_id,
        expected_version=expected_version(if_match), changes=body.model_dump(exclude_unset=True),
    )
    return _customer_response(customer)


@router.delete("/{customer_id:uuid}", status_code=204, responses={
    **CUSTOMER_RESPONSES, 403: {"description": "not_editable"}, 412: {"description": "version_conflict"}})
async def delete_customer(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                          if_match: IfMatch = None) -> Response:
    """Soft delete (C-10): invisible at once, restorable by an admin for 30 days, then purged.
    `If-Match` is optional; many customers at once: `POST /customers/bulk {action: delete}`."""
    await handlers.delete_customer(
        pool, principal=principal, customer_id=customer_id,
        expected_version=expected_version(if_match, required=False),
    )
    return Response(status_code=204)


@router.post("/{customer_id:uuid}/status", response_model=CustomerPublic, responses={
    **CUSTOMER_RESPONSES, 403: {"description": "not_editable"}, 412: {"description": "version_conflict"},
    422: {"description": "validation_error"}})
async def change_status(customer_id: uuid.UUID, body: StatusChange,
                        principal: CurrentPrincipal, once: Idempotent, if_match: IfMatch = None) -> Response:
    """Status update with a note (C-5); `If-Match` is optional here."""
    customer = await handlers.change_status(
        once.pool, principal=principal, customer_id=customer_id, status=body.status, note=body.note,
        expected_version=expected_version(if_match, required=False),
    )
    return once.answer(_customer_response(customer))


class ViewerAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID


VIEWER_RESPONSES: dict[int | str, dict[str, Any]] = {**CUSTOMER_RESPONSES, 403: {"description": "not_editable"}}


@router.get("/{customer_id:uuid}/viewers", response_model=list[uuid.UUID], responses=CUSTOMER_RESPONSES)
async def list_viewers(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> list[uuid.UUID]:
    customer = await handlers.get_customer(pool, principal=principal, customer_id=customer_id)
    return customer["viewer_ids"]


@router.post("/{customer_id:uuid}/viewers", response_model=CustomerPublic,
             responses={**VIEWER_RESPONSES, 422: {"description": "validation_error"}})
async def add_viewer(customer_id: uuid.UUID, body: ViewerAdd, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """Share the customer for reading and commenting (C-9); only someone who may edit it."""
    customer = await handlers.change_viewers(pool, principal=principal, customer_id=customer_id,
                                             user_id=body.user_id, add=True)
    return _customer_response(customer)


@router.delete("/{customer_id:uuid}/viewers/{user_id}", status_code=204, responses=VIEWER_RESPONSES)
async def remove_viewer(customer_id: uuid.UUID, user_id: uuid.UUID, pool: DbPool,
                        principal: CurrentPrincipal) -> Response:
    await handlers.change_viewers(pool, principal=principal, customer_id=customer_id,
                                  user_id=user_id, add=False)
    return Response(status_code=204)
