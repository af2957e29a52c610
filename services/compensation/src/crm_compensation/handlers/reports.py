"""The review-SLA report (beyond the anchors): how long requests wait from their batch's
submission to a decision — median and p90 per reviewer and per provider, the automatic decisions
apart (they take no reviewer's time) — and the open batches already older than the SLA."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import FieldError, Forbidden, Invalid

from crm_compensation.handlers.decisions import may_decide
from crm_compensation.store import reports as store
from crm_compensation.store import rules as settings_store

DEFAULT_PERIOD = timedelta(days=30)
MAX_OVERDUE = 500


def _period(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """[start, end): by default the last 30 days up to now."""
    end = end or datetime.now(UTC)
    start = start or end - DEFAULT_PERIOD
    if start >= end:
        raise Invalid(FieldError("from", "period_reversed"))
    return start, end


def _stats(row: asyncpg.Record) -> dict[str, Any]:
    return {"count": row["count"], "approved": row["approved"], "rejected": row["rejected"],
            "median_seconds": round(row["median_seconds"], 1), "p90_seconds": round(row["p90_seconds"], 1)}


async def review_sla(pool: asyncpg.Pool, *, principal: Principal, start: datetime | None,
                     end: datetime | None) -> dict[str, Any]:
    if not may_decide(principal):
        raise Forbidden("not_a_reviewer")
    start, end = _period(start, end)
    async with pool.acquire() as conn:
        sla_hours = (await settings_store.get_settings(conn))["review_sla_hours"]
        reviewers = await store.by_reviewer(conn, start, end)
        providers = await store.by_provider(conn, start, end)
        automatic = await store.automatic(conn, start, end)
        overdue = await store.overdue_batches(conn, sla_hours, MAX_OVERDUE)
    return {"from": start, "to": end, "review_sla_hours": sla_hours,
            "by_reviewer": [{"reviewer_id": r["reviewer_id"], **_stats(r)} for r in reviewers],
            "by_provider": [{"provider": r["provider"], **_stats(r)} for r in providers],
            "automatic": [{"auto_rule_id": r["auto_rule_id"], **_stats(r)} for r in automatic],
            "overdue_batches": [dict(r) for r in overdue]}
