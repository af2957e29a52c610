"""Each eligibility rule of a request for compensation (P-2), alone and in the contract's order,
over plain data (no database)."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from crm_compensation.domain.eligibility import (
    Asker,
    Case,
    ExistingRequest,
    Policy,
    Reason,
    deadline,
    maximum,
    refusal,
)

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
REP, OWNER, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
POLICY = Policy(reasons=("wrong_number", "duplicate"), window_days=30, max_share=Decimal("0.2"), min_call_attempts=3)
WRONG_NUMBER = Reason("wrong_number", counts_calls=True)
ACTIVE = ("wrong_number", "unreachable", "duplicate")
OK = Case(asker=Asker(REP), now=NOW, delivered_at=NOW - timedelta(days=5), package_owner_id=OWNER,
          customer_owner_id=REP, policy=POLICY, reason_code="wrong_number", reason=WRONG_NUMBER,
          active_reasons=ACTIVE, used=1, leads=10, attempts=3)


def code(case: Case) -> str | None:
    found = refusal(case)
    return found.code if found else None


def test_an_eligible_request_passes():
    assert refusal(OK) is None


def test_not_in_package_when_the_customer_is_no_lead_of_it():
    assert code(replace(OK, delivered_at=None)) == "not_in_package"


def test_who_may_ask_the_customers_owner_the_package_owner_a_manager_over_a_unit_package_an_admin():
    stranger = replace(OK, asker=Asker(OTHER))
    assert code(stranger) == "not_requester"
    assert code(replace(OK, asker=Asker(OWNER))) is None
    assert code(replace(stranger, asker=Asker(OTHER, manages_package=True))) is None
    assert code(replace(stranger, asker=Asker(OTHER, is_admin=True))) is None
    assert code(replace(stranger, customer_owner_id=None, package_owner_id=None)) == "not_requester"


def test_reason_not_allowed_outside_the_policy_inactive_or_unknown_names_the_allowed_ones():
    outside = refusal(replace(OK, reason_code="unreachable", reason=Reason("unreachable", True)))
    assert outside is not None and outside.code == "reason_not_allowed"
    assert outside.details == {"allowed": ["wrong_number", "duplicate"]}
    inactive = refusal(replace(OK, reason=Reason("wrong_number", True, active=False), active_reasons=("duplicate",)))
    assert inactive is not None and inactive.details == {"allowed": ["duplicate"]}
    assert code(replace(OK, reason_code="made_up", reason=None)) == "reason_not_allowed"


def test_outside_window_after_the_deadline_with_the_deadline():
    delivered = NOW - timedelta(days=30, seconds=1)
    late = refusal(replace(OK, delivered_at=delivered))
    assert late is not None and late.code == "outside_window"
    assert late.details == {"deadline": (delivered + timedelta(days=30)).isoformat()}
    assert code(replace(OK, delivered_at=NOW - timedelta(days=30))) is None  # the deadline itself is still in


def test_already_compensated_when_an_approved_request_exists():
    approved = ExistingRequest(uuid.uuid4(), "approved")
    found = refusal(replace(OK, existing=(approved,)))
    assert found is not None and found.code == "already_compensated"
    assert found.details == {"request_id": str(approved.id)}


def test_already_requested_for_a_draft_submitted_or_rejected_request_with_its_id():
    for status in ("draft", "submitted", "rejected"):
        existing = ExistingRequest(uuid.uuid4(), status)
        found = refusal(replace(OK, existing=(existing,)))
        assert found is not None and found.code == "already_requested"
        assert found.details["request_id"] == str(existing.id)


def test_quota_exceeded_at_floor_of_max_share_times_leads():
    assert maximum(POLICY, 10) == 2 and maximum(POLICY, 14) == 2 and maximum(POLICY, 15) == 3
    full = refusal(replace(OK, used=2, leads=14))
    assert full is not None and full.code == "quota_exceeded"
    assert full.details == {"used": 2, "maximum": 2, "max_share": 0.2}
    assert code(replace(OK, used=2, leads=15)) is None
    assert code(replace(OK, used=0, leads=4)) == "quota_exceeded"  # floor(0.8) = 0: no request at all


def test_not_enough_call_attempts_only_for_reasons_that_count_calls():
    few = refusal(replace(OK, attempts=2))
    assert few is not None and few.code == "not_enough_call_attempts"
    assert few.details == {"attempts": 2, "minimum": 3}
    duplicate = replace(OK, reason_code="duplicate", reason=Reason("duplicate", counts_calls=False), attempts=0)
    assert code(duplicate) is None


def test_the_first_broken_rule_refuses_in_the_contracts_order():
    everything_wrong = replace(OK, asker=Asker(OTHER), reason_code="unreachable", reason=Reason("unreachable", True),
                               delivered_at=NOW - timedelta(days=60), existing=(ExistingRequest(uuid.uuid4(), "approved"),),
                               used=5, attempts=0)
    order = []
    case = everything_wrong
    for fix in (lambda c: replace(c, asker=Asker(REP)),
                lambda c: replace(c, reason_code="wrong_number", reason=WRONG_NUMBER),
                lambda c: replace(c, delivered_at=NOW - timedelta(days=1)),
                lambda c: replace(c, existing=(ExistingRequest(uuid.uuid4(), "draft"),)),
                lambda c: replace(c, existing=()),
                lambda c: replace(c, used=0),
                lambda c: replace(c, attempts=3)):
        order.append(code(case))
        case = fix(case)
    order.append(code(case))
    assert order == ["not_requester", "reason_not_allowed", "outside_window", "already_compensated",
                     "already_requested", "quota_exceeded", "not_enough_call_attempts", None]
    assert code(replace(everything_wrong, delivered_at=None)) == "not_in_package"


def test_deadline_counts_window_days_from_delivery():
    assert deadline(NOW, 30) == NOW + timedelta(days=30)
