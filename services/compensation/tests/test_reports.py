"""The review-SLA report on data built here with known times: median and p90 (linear
interpolation between ranks) per reviewer and per provider, automatic decisions apart, the period
bounds, and the open batches older than the SLA."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from crmkit.auth import Principal
from crmkit.domain_errors import DomainError
from crmkit.testing import temp_pool

from crm_compensation.app import MIGRATIONS
from crm_compensation.handlers import reports

NOW = datetime.now(UTC).replace(microsecond=0)
HOUR = 3600


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        yield p


def person(*roles: str) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", unit_id=uuid.uuid4(), unit_path="/r/t/",
                     roles=frozenset(roles))


async def package(pool, provider: str) -> uuid.UUID:
    package_id = uuid.uuid4()
    await pool.execute(
        "INSERT INTO lead_packages (id, name, provider, owner_id, owner_unit_path, purchased_at, reasons, window_days,"
        " max_share, min_call_attempts, created_by) VALUES ($1, 'Gói', $2, $3, '/r/t/', now(), '{}', 30, 1, 0, $3)",
        package_id, provider, uuid.uuid4())
    return package_id


async def batch(pool, package_id: uuid.UUID, submitted_at: datetime, requests: int,
                status: str = "in_review") -> uuid.UUID:
    batch_id = uuid.uuid4()
    await pool.execute("INSERT INTO batches (id, package_id, status, submitted_by, submitted_at, requests)"
                       " VALUES ($1, $2, $3, $4, $5, $6)", batch_id, package_id, status, uuid.uuid4(), submitted_at,
                       requests)
    return batch_id


async def decided(pool, package_id: uuid.UUID, batch_id: uuid.UUID, *, after_hours: float, submitted_at: datetime,
                  by: uuid.UUID | None, status: str = "approved", rule: uuid.UUID | None = None) -> None:
    await pool.execute(
        "INSERT INTO requests (id, package_id, customer_id, requester_id, reason_code, status, evidence, batch_id,"
        " decided_by, decided_at, auto_rule_id) VALUES ($1, $2, $3, $4, 'wrong_number', $5, '{}', $6, $7, $8, $9)",
        uuid.uuid4(), package_id, uuid.uuid4(), uuid.uuid4(), status, batch_id, by,
        submitted_at + timedelta(hours=after_hours), rule)


async def test_median_and_p90_per_reviewer_and_provider(pool):
    fast, slow = person("reviewer"), person("reviewer")
    lead_co, other_co = await package(pool, "LeadCo"), await package(pool, "OtherCo")
    submitted = NOW - timedelta(days=2)
    first, second = await batch(pool, lead_co, submitted, 6), await batch(pool, other_co, submitted, 3)
    for hours in (1, 2, 3, 4, 5):  # fast: median 3 h, p90 4.6 h
        await decided(pool, lead_co, first, after_hours=hours, submitted_at=submitted, by=fast.user_id,
                      status="rejected" if hours == 5 else "approved")
    for hours in (10, 20):  # slow, at OtherCo: median 15 h, p90 19 h
        await decided(pool, other_co, second, after_hours=hours, submitted_at=submitted, by=slow.user_id)
    rule = uuid.uuid4()  # decided at submission: apart, not in the reviewers' figures
    await decided(pool, lead_co, first, after_hours=0, submitted_at=submitted, by=None, rule=rule)
    report = await reports.review_sla(pool, principal=fast, start=NOW - timedelta(days=7), end=NOW)
    assert report["by_reviewer"] == [
        {"reviewer_id": fast.user_id, "count": 5, "approved": 4, "rejected": 1, "median_seconds": 3 * HOUR,
         "p90_seconds": 4.6 * HOUR},
        {"reviewer_id": slow.user_id, "count": 2, "approved": 2, "rejected": 0, "median_seconds": 15 * HOUR,
         "p90_seconds": 19 * HOUR}]
    assert report["by_provider"] == [
        {"provider": "LeadCo", "count": 5, "approved": 4, "rejected": 1, "median_seconds": 3 * HOUR,
         "p90_seconds": 4.6 * HOUR},
        {"provider": "OtherCo", "count": 2, "approved": 2, "rejected": 0, "median_seconds": 15 * HOUR,
         "p90_seconds": 19 * HOUR}]
    assert report["automatic"] == [{"auto_rule_id": rule, "count": 1, "approved": 1, "rejected": 0,
                                    "median_seconds": 0, "p90_seconds": 0}]


async def test_the_period_counts_decisions_made_in_it(pool):
    reviewer = person("reviewer")
    lead_co = await package(pool, "LeadCo")
    submitted = NOW - timedelta(days=40)
    old = await batch(pool, lead_co, submitted, 2, status="completed")
    await decided(pool, lead_co, old, after_hours=1, submitted_at=submitted, by=reviewer.user_id)  # 40 days ago
    await decided(pool, lead_co, old, after_hours=24 * 35, submitted_at=submitted, by=reviewer.user_id)  # 5 days ago
    recent = await reports.review_sla(pool, principal=reviewer, start=None, end=None)  # the last 30 days
    assert [(r["count"], r["median_seconds"]) for r in recent["by_reviewer"]] == [(1, 24 * 35 * HOUR)]
    both = await reports.review_sla(pool, principal=reviewer, start=NOW - timedelta(days=60), end=NOW)
    assert both["by_reviewer"][0]["count"] == 2


async def test_open_batches_older_than_the_sla(pool):
    admin = person("admin")
    await pool.execute("UPDATE settings SET review_sla_hours = 48")
    lead_co = await package(pool, "LeadCo")
    late = await batch(pool, lead_co, NOW - timedelta(hours=50), 4, status="submitted")
    later = await batch(pool, lead_co, NOW - timedelta(hours=100), 2, status="in_review")
    await batch(pool, lead_co, NOW - timedelta(hours=10), 1, status="submitted")  # within the SLA
    await batch(pool, lead_co, NOW - timedelta(hours=200), 1, status="completed")  # done
    report = await reports.review_sla(pool, principal=admin, start=None, end=None)
    assert report["review_sla_hours"] == 48
    overdue = report["overdue_batches"]
    assert [(b["id"], b["pending"]) for b in overdue] == [(later, 2), (late, 4)]
    assert 100 * HOUR <= overdue[0]["age_seconds"] < 101 * HOUR


async def test_reviewers_and_admins_only_and_a_reversed_period(pool):
    with pytest.raises(DomainError) as refused:
        await reports.review_sla(pool, principal=person("manager"), start=None, end=None)
    assert refused.value.code == "not_a_reviewer"
    with pytest.raises(DomainError) as reversed_:
        await reports.review_sla(pool, principal=person("admin"), start=NOW, end=NOW - timedelta(days=1))
    assert reversed_.value.code == "validation_error" and reversed_.value.errors[0].code == "period_reversed"
