"""crmkit.upstreams and the customers client over several processes of the customers service."""
from __future__ import annotations

import collections
import uuid

import httpx
import pytest

from crmkit.customers_client import CustomersClient
from crmkit.domain_errors import Unavailable
from crmkit.upstreams import Upstreams, parse


def test_a_list_of_urls_is_read_from_one_setting():
    assert parse(" http://a:1/, http://b:2 ,") == ["http://a:1", "http://b:2"]
    with pytest.raises(ValueError):
        parse(" , ")


def test_requests_take_turns_and_a_refusing_process_rests():
    now = [0.0]
    upstreams = Upstreams("http://a,http://b,http://c", rest_seconds=2, clock=lambda: now[0])
    assert [upstreams.order()[0] for _ in range(6)] == ["http://a", "http://b", "http://c"] * 2
    upstreams.refused("http://b")
    orders = [upstreams.order() for _ in range(3)]
    assert all(order[-1] == "http://b" and sorted(order) == ["http://a", "http://b", "http://c"] for order in orders)
    now[0] = 2.5  # rested: back in turn
    assert {upstreams.order()[0] for _ in range(3)} == {"http://a", "http://b", "http://c"}


async def test_the_customers_client_passes_a_refusing_process_and_fails_503_when_none_answers():
    calls = collections.Counter()

    def answer(request: httpx.Request) -> httpx.Response:
        calls[request.url.host] += 1
        if request.url.host.startswith("dead"):
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"customers": []})

    client = CustomersClient("http://dead-1, http://live", timeout_seconds=2, transport=httpx.MockTransport(answer))
    try:
        for _ in range(6):
            assert await client.on_behalf_of("Bearer t").snapshots([uuid.uuid4()]) == []
        assert calls["live"] == 6 and calls["dead-1"] == 1  # refused once, then rested
    finally:
        await client.aclose()

    nowhere = CustomersClient("http://dead-1,http://dead-2", timeout_seconds=2, transport=httpx.MockTransport(answer))
    try:
        with pytest.raises(Unavailable):
            await nowhere.on_behalf_of("Bearer t").snapshots([uuid.uuid4()])
    finally:
        await nowhere.aclose()
