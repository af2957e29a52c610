"""A job's report (issue 13): per rep and in total, what became of the leads handed over under it."""
from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool

from crm_assignment.handlers import reports

router = APIRouter(prefix="/api/v1", tags=["assignment"])


class ReportCounts(BaseModel):
    """Leads of the job (one per assignment a lead was in: a lead redistributed after a missed SLA
    counts for each rep it went to)."""
    assigned: int = Field(description="handed over (direct or offered)")
    offered: int = Field(description="of them offered (not direct)")
    accepted: int = Field(description="offered and accepted")
    declined: int = Field(description="offered and declined")
    expired: int = Field(description="offered and not answered in time (or the rep was deactivated)")
    recalled: int = Field(description="taken back (by a manager, or by the SLA sweeper)")
    sla_missed: int = Field(description="of the recalled, those taken back for a missed SLA deadline")
    open: int = Field(description="still held or owned through the job")
    contacted_within_sla: int = Field(description="first contacted by the deadline (or with no deadline)")
    contacted_late: int = Field(description="first contacted after the deadline")
    median_minutes_to_contact: float | None = Field(
        description="from the rep owning the lead to their first contact, of the contacted leads; null: none")


class RepReport(ReportCounts):
    user_id: uuid.UUID
    username: str | None = Field(description="null: a user the directory does not know")
    full_name: str | None


class JobReport(BaseModel):
    job_id: uuid.UUID
    sla_minutes: int | None
    reps: list[RepReport] = Field(description="every rep given leads under the job, by username")
    totals: ReportCounts


@router.get("/jobs/{job_id}/report", response_model=JobReport, responses={404: {"description": "not_found"}})
async def job_report(job_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    """What became of the job's leads, per rep and in total. Visible as the job is (404 otherwise)."""
    return await reports.job_report(pool, principal=principal, job_id=job_id)
