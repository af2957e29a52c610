"""The review-SLA report (reviewers, admins)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_compensation.handlers import reports as handlers

router = APIRouter(prefix="/api/v1", tags=["compensation reports"])


class Durations(BaseModel):
    count: int
    approved: int
    rejected: int
    median_seconds: float = Field(description="submission of the batch → decision")
    p90_seconds: float


class ReviewerDurations(Durations):
    reviewer_id: uuid.UUID


class ProviderDurations(Durations):
    provider: str


class RuleDurations(Durations):
    auto_rule_id: uuid.UUID


class OverdueBatch(BaseModel):
    id: uuid.UUID
    package_id: uuid.UUID
    package_name: str
    provider: str
    status: str
    submitted_by: uuid.UUID
    submitted_at: datetime
    requests: int
    pending: int
    age_seconds: int


class ReviewSlaReport(BaseModel):
    from_: datetime = Field(alias="from")
    to: datetime
    review_sla_hours: int
    by_reviewer: list[ReviewerDurations] = Field(description="manual decisions of the period")
    by_provider: list[ProviderDurations] = Field(description="manual decisions of the period")
    automatic: list[RuleDurations] = Field(description="decisions of the auto rules, apart")
    overdue_batches: list[OverdueBatch] = Field(description="open batches older than the SLA, oldest first")


@router.get("/compensation-reports/review-sla", response_model=ReviewSlaReport, response_model_by_alias=True,
            responses={403: {"description": "not_a_reviewer"}, 422: {"description": "validation_error"}})
async def review_sla(pool: DbPool, principal: CurrentPrincipal,
                     start: Annotated[datetime | None, Query(alias="from")] = None,
                     end: Annotated[datetime | None, Query(alias="to")] = None) -> dict[str, Any]:
    """Time from submission to decision, median and p90, per reviewer and per provider, over
    decisions made in [from, to) (default: the last 30 days); the batches older than the SLA."""
    return await handlers.review_sla(pool, principal=principal, start=start, end=end)
