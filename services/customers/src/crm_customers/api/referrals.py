"""Referral tree (C-12): `GET /customers/{id}/referrals`."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_customers.handlers import referrals as handlers

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])


class ReferralRoot(BaseModel):
    id: uuid.UUID
    name: str
    status: str
    created_at: datetime
    referred_by: uuid.UUID | None


class ReferralNode(BaseModel):
    id: uuid.UUID
    name: str | None = Field(description="null when hidden")
    status: str | None
    created_at: datetime | None
    depth: int = Field(description="1 = referred by the root")
    referred_by: uuid.UUID = Field(description="the parent node (the root at depth 1)")
    hidden: bool = Field(description="a customer you may not see, kept only to connect visible ones below it")


class ReferralTree(BaseModel):
    root: ReferralRoot
    items: list[ReferralNode] = Field(description="breadth first: by depth, then creation time")
    max_depth: int
    truncated: bool = Field(description="more nodes than `limit`, or levels below `max_depth`, exist")


@router.get("/{customer_id:uuid}/referrals", response_model=ReferralTree, responses={404: {"description": "not_found"}})
async def referral_tree(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                        max_depth: int = Query(handlers.MAX_DEPTH, ge=1, le=handlers.MAX_DEPTH),
                        limit: int = Query(handlers.MAX_NODES, ge=1, le=handlers.MAX_NODES)) -> dict[str, Any]:
    """The customers referred by this one, and those they referred, and so on."""
    return await handlers.referral_tree(pool, principal=principal, customer_id=customer_id,
                                        max_depth=max_depth, limit=limit)
