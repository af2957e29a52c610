"""SQL of the review-SLA report: time from a batch's submission to each decision in a period."""
from __future__ import annotations

from datetime import datetime

import asyncpg

_SECONDS = "extract(epoch FROM r.decided_at - b.submitted_at)"
_STATS = (f"count(*) AS count, percentile_cont(0.5) WITHIN GROUP (ORDER BY {_SECONDS}) AS median_seconds,"
          f" percentile_cont(0.9) WITHIN GROUP (ORDER BY {_SECONDS}) AS p90_seconds,"
          " count(*) FILTER (WHERE r.status = 'approved') AS approved,"
          " count(*) FILTER (WHERE r.status = 'rejected') AS rejected")
_DECIDED = ("FROM requests r JOIN batches b ON b.id = r.batch_id JOIN lead_packages p ON p.id = r.package_id"
            " WHERE r.decided_at >= $1 AND r.decided_at < $2")


async def by_reviewer(conn: asyncpg.Connection, start: datetime, end: datetime) -> list[asyncpg.Record]:
    """Manual decisions of the period, per reviewer (most decisions first)."""
    return await conn.fetch(
        f"SELECT r.decided_by AS reviewer_id, {_STATS} {_DECIDED} AND r.auto_rule_id IS NULL"
        " AND r.decided_by IS NOT NULL GROUP BY r.decided_by ORDER BY count(*) DESC, r.decided_by", start, end)


async def by_provider(conn: asyncpg.Connection, start: datetime, end: datetime) -> list[asyncpg.Record]:
    """Manual decisions of the period, per provider."""
    return await conn.fetch(
        f"SELECT p.provider, {_STATS} {_DECIDED} AND r.auto_rule_id IS NULL"
        " GROUP BY p.provider ORDER BY count(*) DESC, p.provider", start, end)


async def automatic(conn: asyncpg.Connection, start: datetime, end: datetime) -> list[asyncpg.Record]:
    """Decisions the auto rules made in the period, per rule (reported apart: no one reviewed them)."""
    return await conn.fetch(
        f"SELECT r.auto_rule_id, {_STATS} {_DECIDED} AND r.auto_rule_id IS NOT NULL"
        " GROUP BY r.auto_rule_id ORDER BY count(*) DESC, r.auto_rule_id", start, end)


async def overdue_batches(conn: asyncpg.Connection, sla_hours: int, limit: int) -> list[asyncpg.Record]:
    """Open batches submitted longer ago than the SLA, oldest first."""
    return await conn.fetch(
        "SELECT b.id, b.package_id, p.name AS package_name, p.provider, b.status, b.submitted_by, b.submitted_at,"
        " b.requests, b.requests - b.approved - b.rejected AS pending,"
        " extract(epoch FROM now() - b.submitted_at)::bigint AS age_seconds"
        " FROM batches b JOIN lead_packages p ON p.id = b.package_id"
        " WHERE b.status <> 'completed' AND b.submitted_at < now() - make_interval(hours => $1)"
        " ORDER BY b.submitted_at, b.id LIMIT $2", sla_hours, limit)
