"""The abuse guard on plain data: rate against the median of peers, the minimum of requests, no
peers no flag."""
from __future__ import annotations

import uuid
from decimal import Decimal

from crm_compensation.domain.abuse import Usage, flag, peer_median

ME = uuid.uuid4()


def peers(*rates: tuple[int, int]) -> dict[uuid.UUID, Usage]:
    return {uuid.uuid4(): Usage(requests=r, leads=leads) for r, leads in rates}


def test_flagged_far_above_the_median_of_peers():
    usage = {ME: Usage(requests=8, leads=20), **peers((1, 20), (2, 20), (1, 10))}  # 0.4 against median 0.1
    found = flag(usage, ME, multiple=Decimal("3"), min_requests=5)
    assert found == {"rate": 0.4, "peer_median": 0.1, "multiple": 3.0, "peers": 3, "requests": 8, "leads": 20}


def test_not_flagged_at_exactly_the_multiple():
    usage = {ME: Usage(requests=6, leads=20), **peers((2, 20))}  # 0.3 = 3 × 0.1
    assert flag(usage, ME, multiple=3, min_requests=5) is None


def test_not_flagged_under_the_minimum_of_requests():
    usage = {ME: Usage(requests=4, leads=5), **peers((1, 100), (1, 100))}
    assert flag(usage, ME, multiple=3, min_requests=5) is None
    assert flag(usage, ME, multiple=3, min_requests=4) is not None


def test_no_peers_no_flag():
    assert flag({ME: Usage(requests=50, leads=50)}, ME, multiple=1, min_requests=1) is None


def test_the_median_leaves_out_the_requester_and_peers_without_leads():
    usage = {ME: Usage(requests=9, leads=10), **peers((1, 10), (3, 10), (5, 0))}
    median, count = peer_median(usage, ME)
    assert (median, count) == (0.2, 2)


def test_an_even_number_of_peers_takes_the_middle_of_two():
    usage = {ME: Usage(requests=10, leads=10), **peers((1, 10), (2, 10), (3, 10), (4, 10))}
    assert peer_median(usage, ME) == (0.25, 4)
