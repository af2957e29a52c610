"""Service-to-service paths, outside `/api/v1`: the gateway does not route them and they are not in
the public OpenAPI document. The caller's own bearer token (forwarded by the calling service) is
verified as on any request, so they answer exactly what that user may see."""
from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit import customer_rows, customers_client
from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_customers.domain.selection import CustomerFilter
from crm_customers.handlers import distribution

router = APIRouter(prefix="/internal/v1", include_in_schema=False)


class DistributionSelection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filter: CustomerFilter
    limit: int = Field(ge=1, le=1_000_001, description="at most this many rows (the caller asks one more than it"
                                                       " accepts, to tell 'too many')")


class SnapshotRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(min_length=1, max_length=customers_client.MAX_SNAPSHOTS)


@router.post("/customers/snapshots")
async def snapshots(body: SnapshotRequest, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    """Who may see each of the customers the caller sees now (crmkit.customers_client: read your
    own writes)."""
    return {"customers": await distribution.snapshots(pool, principal=principal, ids=body.ids)}


@router.post("/customers/distributable")
async def distributable(body: DistributionSelection, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """The matching customers the caller may hand over (handlers.distribution), in
    `crmkit.customer_rows`'s format."""
    rows = await distribution.distributable(pool, principal=principal, flt=body.filter, limit=body.limit)
    return Response(rows, media_type=customer_rows.MEDIA_TYPE)
