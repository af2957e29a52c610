"""Automatic decisions at submission ("beyond the anchors"): rules an admin configures, applied in
their position order to each submitted request whose reason they name — the first rule that
holds decides, the way a reviewer would, and the decision is marked with that rule. A flagged
request (the abuse guard) is never decided automatically: a person looks at it.

Pure functions over plain data (the store gathers the calls and the provider's other leads), so
each rule is tested without a database.

- `min_calls_with_outcome` {min_calls, outcome}: at least `min_calls` calls on the customer since
  the lead's delivery whose recorded outcome is `outcome` (e.g. 3 × `wrong_number`) — evidence
  from the timeline, never typed in by the requester.
- `duplicate_of_provider_lead`: the lead's customer, or its phone, is already a lead of an OLDER
  delivery (earlier delivered_at) in another package of the same provider — the provider sold it
  twice.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from crmkit.vn_phones import phone_key

KINDS = ("min_calls_with_outcome", "duplicate_of_provider_lead")
Kind = Literal["min_calls_with_outcome", "duplicate_of_provider_lead"]
Decision = Literal["approved", "rejected"]


@dataclass(frozen=True)
class Rule:
    id: uuid.UUID
    reason_code: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    decision: str = "approved"
    active: bool = True
    position: int = 0


@dataclass(frozen=True)
class Call:
    outcome: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class ProviderLead:
    """A lead of a package of the same provider (any package; the rule keeps the older ones)."""
    package_id: uuid.UUID
    customer_id: uuid.UUID
    phone: str | None
    delivered_at: datetime


@dataclass(frozen=True)
class Case:
    """What the rules look at for one submitted request."""
    request_id: uuid.UUID
    reason_code: str
    package_id: uuid.UUID
    customer_id: uuid.UUID
    phone: str | None
    delivered_at: datetime
    calls: Sequence[Call] = ()
    provider_leads: Sequence[ProviderLead] = ()
    flagged: bool = False


@dataclass(frozen=True)
class Verdict:
    rule_id: uuid.UUID
    decision: str


def min_calls_with_outcome(calls: Iterable[Call], *, delivered_at: datetime, min_calls: int, outcome: str) -> bool:
    """At least `min_calls` calls at or after the delivery with the outcome `outcome`."""
    matching = sum(1 for c in calls if c.outcome == outcome and c.occurred_at >= delivered_at)
    return matching >= min_calls


def duplicate_of_provider_lead(case: Case) -> bool:
    """The customer, or a customer with the same phone, was delivered earlier in another package of
    the provider (`provider_leads` holds only that provider's leads)."""
    phone = phone_key(case.phone)  # every writing of one number, the pre-2018 prefixes too
    return any(
        lead.package_id != case.package_id and lead.delivered_at < case.delivered_at
        and (lead.customer_id == case.customer_id or (phone is not None and phone_key(lead.phone) == phone))
        for lead in case.provider_leads)


def holds(rule: Rule, case: Case) -> bool:
    """Whether `rule` holds for `case` (its reason and kind; an unknown kind never holds)."""
    if not rule.active or rule.reason_code != case.reason_code:
        return False
    if rule.kind == "min_calls_with_outcome":
        return min_calls_with_outcome(case.calls, delivered_at=case.delivered_at,
                                      min_calls=int(rule.params.get("min_calls", 1)),
                                      outcome=str(rule.params.get("outcome", "")))
    if rule.kind == "duplicate_of_provider_lead":
        return duplicate_of_provider_lead(case)
    return False


def decide(case: Case, rules: Iterable[Rule]) -> Verdict | None:
    """The first rule (by position) that holds decides; none for a flagged request, or when no rule holds."""
    if case.flagged:
        return None
    for rule in sorted(rules, key=lambda r: (r.position, str(r.id))):
        if holds(rule, case):
            return Verdict(rule_id=rule.id, decision=rule.decision)
    return None


def check_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The params a rule of `kind` keeps (the API validated their types); raises ValueError on a
    missing one, naming it."""
    if kind == "min_calls_with_outcome":
        missing = [name for name in ("min_calls", "outcome") if params.get(name) in (None, "")]
        if missing:
            raise ValueError(missing[0])
        return {"min_calls": int(params["min_calls"]), "outcome": str(params["outcome"])}
    return {}
