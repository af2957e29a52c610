"""Each automatic-decision rule on plain data (no database): what holds it, what does not, the
position order, and never for a flagged request."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from crm_compensation.domain.auto_rules import (
    Call,
    Case,
    ProviderLead,
    Rule,
    check_params,
    decide,
    duplicate_of_provider_lead,
    holds,
    min_calls_with_outcome,
)

DELIVERED = datetime(2026, 11, 1, 9, tzinfo=UTC)
PACKAGE, OLDER_PACKAGE = uuid.uuid4(), uuid.uuid4()
CUSTOMER = uuid.uuid4()


def calls(*outcomes: str | None, before: int = 0) -> list[Call]:
    """Calls after the delivery with these outcomes, and `before` wrong-number calls before it."""
    after = [Call(outcome=o, occurred_at=DELIVERED + timedelta(hours=i + 1)) for i, o in enumerate(outcomes)]
    return after + [Call(outcome="wrong_number", occurred_at=DELIVERED - timedelta(days=1)) for _ in range(before)]


def case(reason: str = "wrong_number", **overrides) -> Case:
    fields = {"request_id": uuid.uuid4(), "reason_code": reason, "package_id": PACKAGE, "customer_id": CUSTOMER,
              "phone": "0901 234 567", "delivered_at": DELIVERED}
    return Case(**{**fields, **overrides})


def wrong_number_rule(min_calls: int = 3, position: int = 0, decision: str = "approved") -> Rule:
    return Rule(id=uuid.uuid4(), reason_code="wrong_number", kind="min_calls_with_outcome",
                params={"min_calls": min_calls, "outcome": "wrong_number"}, decision=decision, position=position)


def duplicate_rule(position: int = 0) -> Rule:
    return Rule(id=uuid.uuid4(), reason_code="duplicate", kind="duplicate_of_provider_lead", position=position)


def test_min_calls_counts_only_the_outcome_since_the_delivery():
    assert min_calls_with_outcome(calls("wrong_number", "wrong_number", "wrong_number"), delivered_at=DELIVERED,
                                  min_calls=3, outcome="wrong_number")
    # two after the delivery, three before it: not enough
    assert not min_calls_with_outcome(calls("wrong_number", "wrong_number", before=3), delivered_at=DELIVERED,
                                      min_calls=3, outcome="wrong_number")
    # other outcomes and manual entries without an outcome do not count
    assert not min_calls_with_outcome(calls("wrong_number", "no_answer", None, "busy"), delivered_at=DELIVERED,
                                      min_calls=2, outcome="wrong_number")


def test_a_call_at_the_delivery_instant_counts():
    assert min_calls_with_outcome([Call("no_answer", DELIVERED)], delivered_at=DELIVERED, min_calls=1,
                                  outcome="no_answer")


def test_the_rule_decides_with_its_decision_and_id():
    rule = wrong_number_rule()
    verdict = decide(case(calls=calls("wrong_number", "wrong_number", "wrong_number")), [rule])
    assert verdict is not None and verdict.rule_id == rule.id and verdict.decision == "approved"
    assert decide(case(calls=calls("wrong_number", "wrong_number")), [rule]) is None


def test_a_rule_holds_only_for_its_reason_and_when_active():
    rule = wrong_number_rule(min_calls=1)
    evidence = calls("wrong_number")
    assert holds(rule, case(calls=evidence))
    assert not holds(rule, case(reason="unreachable", calls=evidence))
    inactive = Rule(**{**rule.__dict__, "active": False})
    assert not holds(inactive, case(calls=evidence))


def test_never_for_a_flagged_request():
    evidence = calls("wrong_number", "wrong_number", "wrong_number")
    assert decide(case(calls=evidence, flagged=True), [wrong_number_rule()]) is None


def test_rules_apply_in_position_order():
    reject_first = wrong_number_rule(min_calls=1, position=1, decision="rejected")
    approve_later = wrong_number_rule(min_calls=1, position=2)
    verdict = decide(case(calls=calls("wrong_number")), [approve_later, reject_first])
    assert verdict is not None and verdict.rule_id == reject_first.id and verdict.decision == "rejected"


def older(customer_id: uuid.UUID | None = None, phone: str | None = None, days: int = 10,
          package_id: uuid.UUID = OLDER_PACKAGE) -> ProviderLead:
    return ProviderLead(package_id=package_id, customer_id=customer_id or uuid.uuid4(), phone=phone,
                        delivered_at=DELIVERED - timedelta(days=days))


def test_duplicate_by_the_same_customer_in_an_older_package():
    assert duplicate_of_provider_lead(case("duplicate", provider_leads=[older(customer_id=CUSTOMER)]))


def test_duplicate_by_the_same_phone_written_differently():
    assert duplicate_of_provider_lead(case("duplicate", provider_leads=[older(phone="0901234567")]))


def test_not_a_duplicate_of_a_newer_lead_or_of_its_own_package():
    newer = older(customer_id=CUSTOMER, days=-1)
    same_package = older(customer_id=CUSTOMER, package_id=PACKAGE)
    other_phone = older(phone="0912 000 000")
    assert not duplicate_of_provider_lead(case("duplicate", provider_leads=[newer, same_package, other_phone]))


def test_no_phone_matches_no_phone():
    assert not duplicate_of_provider_lead(case("duplicate", phone=None, provider_leads=[older(phone=None)]))


def test_the_duplicate_rule_decides_duplicates_only():
    rule = duplicate_rule()
    leads = [older(customer_id=CUSTOMER)]
    verdict = decide(case("duplicate", provider_leads=leads), [rule])
    assert verdict is not None and verdict.rule_id == rule.id
    assert decide(case("wrong_number", provider_leads=leads), [rule]) is None


def test_params_of_each_kind():
    assert check_params("min_calls_with_outcome", {"min_calls": 3, "outcome": "wrong_number"}) == {
        "min_calls": 3, "outcome": "wrong_number"}
    assert check_params("duplicate_of_provider_lead", {"anything": 1}) == {}
    try:
        check_params("min_calls_with_outcome", {"min_calls": 3})
    except ValueError as missing:
        assert str(missing) == "outcome"
    else:
        raise AssertionError("a rule without its outcome was accepted")
