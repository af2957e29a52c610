"""The edge (docs/architecture.md, "Requests through the gateway"): a service's ordinary requests
reach it without crossing the gateway; what needs the gateway (here a long write) still crosses it.
Serial: it counts the requests the gateway proxied, which a concurrent test's would change."""
from __future__ import annotations

import os
import re

import httpx
import pytest

pytestmark = pytest.mark.serial

# the gateway's /metrics: on the port after the public one (deploy/local, CRM_GATEWAY_METRICS_PORT)
METRICS = f"http://127.0.0.1:{int(os.environ.get('CRM_GATEWAY_PORT', '8000')) + 1}/metrics"


async def proxied_by_the_gateway(service: str) -> float:
    async with httpx.AsyncClient(timeout=10) as metrics:
        text = (await metrics.get(METRICS)).text
    pattern = rf'^crm_gateway_upstream_seconds_count{{[^}}]*service="{service}"[^}}]*}} (\S+)$'
    return sum(float(count) for count in re.findall(pattern, text, re.MULTILINE))


async def test_a_services_reads_go_around_the_gateway_and_its_long_writes_through_it(client, org):
    if os.environ.get("CRM_EDGE") == "none":
        pytest.skip("CRM_EDGE=none: the gateway proxies everything on this stack")
    rep = org["rep"]["headers"]
    before = await proxied_by_the_gateway("customers")
    for _ in range(5):
        assert (await client.get("/api/v1/customers", params={"limit": 1}, headers=rep)).status_code == 200
    assert await proxied_by_the_gateway("customers") == before
    refused = await client.post("/api/v1/customers/bulk", json={}, headers=rep)
    assert refused.status_code in (400, 422), refused.text
    assert await proxied_by_the_gateway("customers") == before + 1
