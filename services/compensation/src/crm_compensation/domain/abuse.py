"""The abuse guard at submission ("beyond the anchors", after Talo): a requester whose request rate
is far above their peers' is flagged, and a flagged request is never decided automatically — the
reviewer sees the comparison instead.

Rate = the requester's live requests (not withdrawn) ÷ the leads they work, across the packages
of one provider; peers = the other requesters with packages of that provider. Flagged when the
requester has made at least `min_requests` requests and their rate exceeds `multiple` × the
median of the peers' rates. Without peers (the only buyer of a provider) there is no comparison
and no flag. Pure: the store counts, this decides.
"""
from __future__ import annotations

import statistics
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Usage:
    """One requester's live requests and leads with one provider."""
    requests: int
    leads: int

    @property
    def rate(self) -> float | None:
        return self.requests / self.leads if self.leads > 0 else None


def peer_median(usage: Mapping[uuid.UUID, Usage], requester_id: uuid.UUID) -> tuple[float | None, int]:
    """The median of the other requesters' rates (those with leads), and how many they are."""
    rates = [u.rate for who, u in usage.items() if who != requester_id and u.rate is not None]
    return (statistics.median(rates) if rates else None), len(rates)


def flag(usage: Mapping[uuid.UUID, Usage], requester_id: uuid.UUID, *, multiple: Decimal | float,
         min_requests: int) -> dict[str, Any] | None:
    """The comparison shown to the reviewer, `{rate, peer_median, multiple, peers, requests, leads}`,
    when the requester is flagged; None otherwise."""
    own = usage.get(requester_id)
    if own is None or own.rate is None or own.requests < min_requests:
        return None
    median, peers = peer_median(usage, requester_id)
    if median is None or own.rate <= float(multiple) * median:
        return None
    return {"rate": round(own.rate, 4), "peer_median": round(median, 4), "multiple": float(multiple),
            "peers": peers, "requests": own.requests, "leads": own.leads}
