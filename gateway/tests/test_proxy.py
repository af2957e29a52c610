"""The reverse proxy: routing, authentication, API keys, streaming, failures."""
from __future__ import annotations

import hashlib
import time

import httpx
import pytest

from crmkit.auth import TokenVerifier
from crm_gateway.proxy import service_for


@pytest.mark.parametrize("path, service", [
    ("/api/v1/customers", "customers"),
    ("/api/v1/customers/123", "customers"),
    ("/api/v1/customers/exports/9/file", "customers"),
    ("/api/v1/customers/123/timeline", "interactions"),
    ("/api/v1/customers/123/care-tickets/4", "interactions"),
    ("/api/v1/customer-statuses/1", "customers"),
    ("/api/v1/me/views/customers", "customers"),
    ("/api/v1/me/calendar.ics", "interactions"),
    ("/api/v1/me/calendar-feed", "interactions"),
    ("/api/v1/comments/1/acks", "interactions"),
    ("/api/v1/notifications/stream", "interactions"),
    ("/api/v1/assignments/1/accept", "assignment"),
    ("/api/v1/roster", "assignment"),
    ("/api/v1/compensation-batches/1", "compensation"),
    ("/api/v1/imports/template.xlsx", "import"),
    ("/api/v1/me", None),
    ("/api/v1/users", None),
    ("/api/v1/customersx", None),
    ("/api/v1/nothing", None),
])
def test_route_table(path, service):
    assert service_for(path) == service


async def test_bearer_request_is_forwarded_with_context_headers(gw, org, root_unit):
    user = await org.user(root_unit["id"], ["sales"])
    headers = {**await org.token(user), "Accept-Language": "en", "If-Match": '"3"', "Idempotency-Key": "k-1",
               "X-Correlation-ID": "corr-1", "X-Forwarded-For": "203.0.113.9", "Connection": "keep-alive"}
    response = await gw.client.get("/api/v1/customers/abc/timeline?x=1&y=%C4%91", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["service"] == "interactions"
    assert body["path"] == "/api/v1/customers/abc/timeline" and body["query"] == "x=1&y=%C4%91"
    seen = body["headers"]
    assert seen["authorization"] == headers["Authorization"]
    assert seen["accept-language"] == "en" and seen["if-match"] == '"3"' and seen["idempotency-key"] == "k-1"
    assert seen["x-correlation-id"] == "corr-1"
    assert seen["x-request-id"] == response.headers["x-request-id"]
    assert seen["x-forwarded-for"].startswith("203.0.113.9, ")
    assert response.headers.get_list("x-request-id") == [response.headers["x-request-id"]]


async def test_anonymous_and_unknown_paths(gw):
    anonymous = await gw.client.get("/api/v1/customers")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthorized"
    bad = await gw.client.get("/api/v1/customers", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["code"] == "invalid_token"
    unknown = await gw.client.get("/api/v1/nothing-here", headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    wrong_method = await gw.client.delete("/api/v1/users/00000000-0000-0000-0000-000000000001")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"


async def test_public_calendar_feed_needs_no_login(gw):
    response = await gw.client.get("/api/v1/me/calendar.ics", params={"token": "feed-secret"})
    assert response.status_code == 200 and response.json()["query"] == "token=feed-secret"


async def test_api_key_request_carries_a_service_jwt(gw, org, key_dir, h):
    created = await gw.client.post("/api/v1/api-keys", headers=org.admin, json={
        "name": f"Tổng đài {h.uid()}", "permissions": ["customers.read", "customers.write"],
        "rate_limit_per_minute": 1000})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key.startswith(created.json()["prefix"])

    response = await gw.client.get("/api/v1/customers/whoami", headers={"X-API-Key": key})
    assert response.status_code == 200
    seen = response.json()["headers"]
    assert seen["x-api-key"] is None  # the secret never leaves the gateway
    principal = TokenVerifier.from_file(key_dir / "jwt_public.pem").verify(seen["authorization"].split()[1])
    assert principal.kind == "service"
    assert principal.roles == {"integrator"}
    assert principal.permissions == {"customers.read", "customers.write"}
    assert str(principal.user_id) == created.json()["user_id"]

    me = (await gw.client.get("/api/v1/me", headers={"X-API-Key": key})).json()
    assert me["kind"] == "service" and me["permissions"] == ["customers.read", "customers.write"]

    listed = (await gw.client.get("/api/v1/api-keys", headers=org.admin)).json()["items"]
    assert created.json()["id"] in [k["id"] for k in listed] and all("key" not in k for k in listed)
    assert (await gw.client.delete(f"/api/v1/api-keys/{created.json()['id']}", headers=org.admin)).status_code == 204
    revoked = await gw.client.get("/api/v1/customers/whoami", headers={"X-API-Key": key})
    assert revoked.status_code == 401 and revoked.json()["code"] == "invalid_api_key"


async def test_large_bodies_stream_both_ways(gw, org, root_unit, h):
    headers = await org.token(await org.user(root_unit["id"], ["sales"]))
    size = 24 * 1024 * 1024
    chunk = 256 * 1024

    async def upload():
        for offset in range(0, size, chunk):
            yield h.pattern_bytes(offset, chunk)

    expected = hashlib.sha256(h.pattern_bytes(0, size))
    response = await gw.client.post("/api/v1/customers/upload", content=upload(),
                                    headers={**headers, "Content-Type": "application/octet-stream"})
    assert response.status_code == 200, response.text
    assert response.json()["size"] == size and response.json()["sha256"] == expected.hexdigest()
    assert response.json()["chunks"] > 1  # arrived in pieces, not as one buffered body

    download = await gw.client.get("/api/v1/customers/download", params={"size": size}, headers=headers)
    assert download.status_code == 200
    assert download.headers["content-length"] == str(size) and download.headers["x-upstream"] == "customers"
    assert hashlib.sha256(download.content).hexdigest() == hashlib.sha256(h.pattern_bytes(0, size)).hexdigest()


async def test_proxied_bodies_have_a_limit_too(start_gateway, org, root_unit):
    headers = await org.token(await org.user(root_unit["id"], ["sales"]))

    async def upload():
        for _ in range(48):
            yield b"z" * 65536

    async with start_gateway(max_body_bytes=1024 * 1024) as gateway:
        response = await gateway.client.post("/api/v1/customers/upload", content=upload(), headers=headers)
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


async def test_unreachable_service_is_503_problem(gw, org, root_unit):
    headers = {**await org.token(await org.user(root_unit["id"], ["sales"])), "Accept-Language": "en"}
    response = await gw.client.get("/api/v1/imports", headers=headers)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "service_unavailable" and response.json()["service"] == "import"
    assert "import" in response.json()["detail"]


async def test_slow_service_is_504_problem(gw, org, root_unit):
    headers = await org.token(await org.user(root_unit["id"], ["sales"]))
    started = time.monotonic()
    response = await gw.client.get("/api/v1/jobs/slow", params={"seconds": 3}, headers=headers)
    assert response.status_code == 504 and response.json()["code"] == "gateway_timeout"
    assert time.monotonic() - started < 2.5


async def test_sse_streams_without_buffering_or_read_timeout(start_gateway, org, root_unit, h):
    """A real socket in front of the gateway: events arrive as the service sends them, and the
    pauses between them (longer than the read timeout) do not cut the stream."""
    headers = {**await org.token(await org.user(root_unit["id"], ["sales"])), "Accept": "text/event-stream"}
    async with start_gateway() as gateway, h.serve(gateway.app, h.free_port(), lifespan="off") as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            started = time.monotonic()
            arrivals = []
            async with client.stream("GET", "/api/v1/notifications/stream", headers=headers) as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                async for line in response.aiter_lines():
                    if line.startswith("data:"):
                        arrivals.append(time.monotonic() - started)
    assert len(arrivals) == 3
    assert arrivals[0] < 1.0  # not buffered until the end (the stream lasts ~3.9 s)
    assert arrivals[2] > gateway.settings.proxy_read_timeout


async def test_cors_preflight(gw):
    response = await gw.client.options("/api/v1/customers", headers={
        "Origin": "http://console.test", "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization,if-match"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://console.test"
    simple = await gw.client.get("/api/v1/me", headers={"Origin": "http://console.test"})
    assert "etag" in simple.headers["access-control-expose-headers"].lower()
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
