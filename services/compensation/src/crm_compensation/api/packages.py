"""Lead packages ("gói tài khoản", P-1): create, list, read with counters, change; their leads and
their credit ledger."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from crmkit.versions import IfMatch, expected_version, versioned

from crm_compensation.handlers import leads, packages

router = APIRouter(prefix="/api/v1", tags=["compensation"])
RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"}}
ReasonCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,49}$", examples=["wrong_number"])]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class PolicyIn(BaseModel):
    """When a lead may be compensated: the reasons accepted, the window after delivery, the most
    requests the package may carry (a share of its leads) and the calls a reason that counts
    calls needs first."""
    model_config = ConfigDict(extra="forbid")

    reasons: list[ReasonCode] = Field(min_length=1, max_length=50)
    window_days: int = Field(ge=1, le=3650, examples=[30])
    max_share: Decimal = Field(gt=0, le=1, max_digits=5, decimal_places=4, examples=[0.2])
    min_call_attempts: int = Field(0, ge=0, le=100, examples=[3])


class PolicyPublic(BaseModel):
    reasons: list[str]
    window_days: int
    max_share: float
    min_call_attempts: int


class PackageCreate(BaseModel):
    """Exactly one owner at most: a rep (`owner_id`) or a unit (`owner_unit_id`); neither: the caller."""
    model_config = ConfigDict(extra="forbid")

    name: Name
    provider: Name
    owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    purchased_at: datetime
    policy: PolicyIn


class PackageUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    provider: Name | None = None
    owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    purchased_at: datetime | None = None
    policy: PolicyIn | None = None
    version: int | None = Field(None, ge=1, description="the version read, when If-Match is not sent")


class PackagePublic(BaseModel):
    id: uuid.UUID
    name: str
    provider: str
    owner_id: uuid.UUID | None
    owner_unit_id: uuid.UUID | None
    owner_unit_path: str
    purchased_at: datetime
    policy: PolicyPublic
    leads: int
    requested: int = Field(description="draft and submitted requests")
    approved: int
    rejected: int
    credit: int = Field(description="replacement credits in the ledger")
    created_by: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


class LeadsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_ids: list[uuid.UUID] = Field(min_length=1, max_length=leads.MAX_LEADS)
    delivered_at: datetime


class LeadsAdded(BaseModel):
    added: int
    already: int = Field(description="already leads of the package")
    unknown: int = Field(description="unknown, deleted or not visible to the caller: not added")


class LeadRequest(BaseModel):
    id: uuid.UUID
    status: Literal["draft", "submitted", "approved", "rejected"]


class LeadPublic(BaseModel):
    customer_id: uuid.UUID
    full_name: str | None
    phone: str | None
    delivered_at: datetime
    deadline: datetime
    request: LeadRequest | None = None


class CreditPublic(BaseModel):
    id: uuid.UUID
    request_id: uuid.UUID
    customer_id: uuid.UUID
    amount: int
    created_at: datetime


class Credits(BaseModel):
    items: list[CreditPublic]
    total: int


@router.post("/lead-packages", status_code=201, response_model=PackagePublic, responses={
    403: {"description": "not_package_manager"},
    422: {"description": "validation_error, unknown_reason, owner_not_allowed"}})
async def create_package(body: PackageCreate, principal: CurrentPrincipal, once: Idempotent) -> Response:
    """A package of purchased leads; admins and managers. `Idempotency-Key` supported."""
    package = await packages.create(
        once.pool, principal=principal, name=body.name, provider=body.provider, owner_id=body.owner_id,
        owner_unit_id=body.owner_unit_id, purchased_at=body.purchased_at, reasons=body.policy.reasons,
        window_days=body.policy.window_days, max_share=body.policy.max_share,
        min_call_attempts=body.policy.min_call_attempts)
    return once.answer(versioned(PackagePublic, package, 201, {"Location": f"/api/v1/lead-packages/{package['id']}"}))


@router.get("/lead-packages", response_model=Page[PackagePublic])
async def list_packages(pool: DbPool, principal: CurrentPrincipal,
                        provider: Annotated[str | None, Query(max_length=200)] = None,
                        owner_id: uuid.UUID | None = None, limit: Limit = DEFAULT_LIMIT,
                        cursor: Cursor = None) -> Page[PackagePublic]:
    """The packages the caller sees, newest first, each with its counters."""
    rows, next_cursor = await packages.list_packages(pool, principal=principal, provider=provider,
                                                     owner_id=owner_id, limit=limit, cursor=cursor)
    return Page[PackagePublic](items=[PackagePublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/lead-packages/{package_id}", response_model=PackagePublic, responses=RESPONSES)
async def get_package(package_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    return versioned(PackagePublic, await packages.get(pool, principal=principal, package_id=package_id))


@router.patch("/lead-packages/{package_id}", response_model=PackagePublic, responses={
    **RESPONSES, 403: {"description": "not_package_manager"}, 412: {"description": "version_conflict"},
    422: {"description": "validation_error, unknown_reason, owner_not_allowed"},
    428: {"description": "precondition_required"}})
async def update_package(package_id: uuid.UUID, body: PackageUpdate, pool: DbPool, principal: CurrentPrincipal,
                         if_match: IfMatch = None) -> Response:
    """Name, provider, purchase date, the whole policy, or the owner; `If-Match` (or `version`)."""
    version = expected_version(if_match, required=body.version is None)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    if body.policy is not None:
        changes["policy"] = body.policy.model_dump()
    package = await packages.update(pool, principal=principal, package_id=package_id,
                                    expected_version=version if if_match else body.version, changes=changes)
    return versioned(PackagePublic, package)


@router.post("/lead-packages/{package_id}/leads", response_model=LeadsAdded, responses={
    **RESPONSES, 403: {"description": "not_package_manager"}})
async def add_leads(package_id: uuid.UUID, body: LeadsCreate, principal: CurrentPrincipal,
                    once: Idempotent) -> Response:
    """Customers delivered as leads of the package (the package's owner, admins, its managers).
    `Idempotency-Key` supported."""
    added = await leads.add(once.pool, principal=principal, package_id=package_id, customer_ids=body.customer_ids,
                            delivered_at=body.delivered_at)
    return once.answer(Response(LeadsAdded.model_validate(added).model_dump_json(), media_type="application/json"))


@router.get("/lead-packages/{package_id}/leads", response_model=Page[LeadPublic], responses=RESPONSES)
async def list_leads(package_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal, limit: Limit = DEFAULT_LIMIT,
                     cursor: Cursor = None) -> Page[LeadPublic]:
    """Newest deliveries first, each with its deadline and its live request."""
    rows, next_cursor = await leads.list_leads(pool, principal=principal, package_id=package_id, limit=limit,
                                               cursor=cursor)
    return Page[LeadPublic](items=[LeadPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/lead-packages/{package_id}/credits", response_model=Credits, responses=RESPONSES)
async def list_credits(package_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    """The package's ledger of replacement credits, one per approved request."""
    return await packages.credits(pool, principal=principal, package_id=package_id)
