"""POST /api/v1/customers/{id}/restore and /purge (C-10, admins)."""
from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool, Settings
from crmkit.versions import versioned

from crm_customers.api.customers import CustomerPublic
from crm_customers.handlers import deletion as handlers

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])


class PurgedCustomer(BaseModel):
    id: uuid.UUID
    purged_at: datetime


@router.post("/{customer_id:uuid}/restore", response_model=CustomerPublic, responses={
    403: {"description": "forbidden (admins only)"}, 404: {"description": "not_found"},
    409: {"description": "restore_window_passed, not_deleted"}})
async def restore_customer(customer_id: uuid.UUID, pool: DbPool, settings: Settings, principal: CurrentPrincipal) -> Response:
    """Restore a soft-deleted customer within 30 days of its deletion (admins)."""
    customer = await handlers.restore_customer(
        pool, principal=principal, customer_id=customer_id,
        retention_days=settings.deleted_retention_days)
    return versioned(CustomerPublic, customer)


@router.post("/{customer_id:uuid}/purge", response_model=PurgedCustomer, responses={
    403: {"description": "forbidden (admins only)"}, 404: {"description": "not_found"}})
async def purge_customer(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> Response:
    """Erase the customer's personal data here and, through `customer.purged`, in every service
    (Decree 13/2023). Only the id remains. Admins; deleted or not."""
    tombstone = await handlers.purge_customer(pool, principal=principal, customer_id=customer_id)
    return JSONResponse(PurgedCustomer.model_validate(tombstone).model_dump(mode="json"))
