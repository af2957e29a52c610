"""Service-to-service paths, outside `/api/v1`: the gateway does not route them and they are not in
the public OpenAPI document. The caller's own bearer token (forwarded by the calling service) is
verified as on any request, so they answer exactly what that user may see."""
from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from crmkit import customer_rows
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


@router.post("/customers/distributable")
async def distributable(body: DistributionSelection, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """The matching customers the caller may hand over (handlers.distribution), in
    `crmkit.customer_rows`'s format."""
    rows = await distribution.distributable(pool, principal=principal, flt=body.filter, limit=body.limit)
    return Response(rows, media_type=customer_rows.MEDIA_TYPE)
