"""The reverse proxy: routing, authentication, API keys, streaming, failures."""
from __future__ import annotations

import contextlib
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
    ("/api/v1/territories/79", "assignment"),
    ("/api/v1/compensation-batches/1", "compensation"),
    ("/api/v1/imports/template.xlsx", "import"),
    ("/api/v1/me", None),
    ("/api/v1/users", None),
    ("/api/v1/customersx", None),
    ("/api/v1/nothing", None),
    ("/internal/v1/customers/distributable", None),  # service to service only
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
    assert revoked.headers["WWW-Authenticate"] == "ApiKey"


async def test_large_bodies_stream_both_ways(start_gateway, org, root_unit, h):
    headers = await org.token(await org.user(root_unit["id"], ["sales"]))
    size = 24 * 1024 * 1024
    chunk = 256 * 1024

    async def upload():
        for offset in range(0, size, chunk):
            yield h.pattern_bytes(offset, chunk)

    expected = hashlib.sha256(h.pattern_bytes(0, size))
    async with start_gateway(customers_max_body_bytes=2 * size) as gw:
        response = await gw.client.post("/api/v1/customers/upload", content=upload(),
                                        headers={**headers, "Content-Type": "application/octet-stream"})
        download = await gw.client.get("/api/v1/customers/download", params={"size": size}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["size"] == size and response.json()["sha256"] == expected.hexdigest()
    assert response.json()["chunks"] > 1  # arrived in pieces, not as one buffered body
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


async def test_a_bulk_action_may_take_longer_than_a_read(start_gateway, org, root_unit):
    """A bulk action answers when its whole selection is applied (100,000 customers at 10M: up to
    112 s cold): it waits up to proxy_long_write_timeout, the rest up to proxy_read_timeout (1 s here)."""
    headers = await org.token(await org.user(root_unit["id"], ["sales"]))
    async with start_gateway(proxy_long_write_timeout=2.5) as gateway:
        waited = await gateway.client.post("/api/v1/customers/bulk", params={"seconds": 1.5}, headers=headers)
        cut = await gateway.client.post("/api/v1/customers/bulk", params={"seconds": 4}, headers=headers)
        read = await gateway.client.get("/api/v1/jobs/slow", params={"seconds": 1.5}, headers=headers)
    assert waited.status_code == 200 and waited.json() == {"slow": True}
    assert cut.status_code == 504 and cut.json()["code"] == "gateway_timeout"
    assert read.status_code == 504


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



# ----------------------------------------------------------------- bodies larger than the service takes
MiB = 1024 * 1024


def counting_upstream(limit: int = 1024 * MiB):
    """A service that reads what it is sent (`received`), or refuses a body without reading it
    (`?refuse=404`, as an upload to a customer the caller cannot see); crmkit's body limit."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from crmkit.middleware import RequestContextMiddleware

    received = []

    async def anything(request):
        if "refuse" in request.query_params:
            return JSONResponse({"code": "not_found"}, status_code=int(request.query_params["refuse"]))
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        received.append(size)
        return JSONResponse({"size": size})

    app = Starlette(routes=[Route("/api/v1/{rest:path}", anything, methods=["POST", "PUT", "PATCH"])])
    return RequestContextMiddleware(app, service="customers", max_body_bytes=limit), received


async def zeros(size: int):
    for _ in range(0, size, 65536):
        yield b"z" * 65536


@contextlib.asynccontextmanager
async def gateway_before(upstream, start_gateway, h, **settings):
    """A real socket from client to gateway and from gateway to the service."""
    async with h.serve(upstream, h.free_port()) as upstream_url, \
            start_gateway(customers_url=upstream_url, interactions_url=upstream_url, **settings) as gateway, \
            h.serve(gateway.app, h.free_port(), lifespan="off") as url:
        async with httpx.AsyncClient(base_url=url, timeout=20) as client:
            yield client


async def test_a_body_over_the_services_limit_is_refused_before_proxying(start_gateway, org, root_unit, h):
    headers = {**await org.token(await org.user(root_unit["id"], ["sales"])), "Accept-Language": "en"}
    upstream, received = counting_upstream()
    async with gateway_before(upstream, start_gateway, h, customers_max_body_bytes=MiB,
                              interactions_max_body_bytes=MiB, attachment_max_bytes=3 * MiB) as client:
        declared = await client.post("/api/v1/customers", content=b"z" * (MiB + 1), headers=headers)
        assert declared.status_code == 413 and declared.json()["code"] == "payload_too_large"
        assert str(MiB) in declared.json()["detail"]
        streamed = await client.post("/api/v1/customers/c1/comments", content=zeros(4 * MiB), headers=headers)
        assert streamed.status_code == 413 and str(MiB) in streamed.json()["detail"]
        assert received == []
        # a file upload has the attachment limit (+ 1 MiB for a multipart envelope), not the JSON one
        upload = await client.post("/api/v1/customers/c1/attachments", content=b"z" * (4 * MiB), headers=headers)
        assert upload.status_code == 200 and received == [4 * MiB]
        too_big = await client.post("/api/v1/support-tickets/t1/attachments", content=zeros(5 * MiB), headers=headers)
        assert too_big.status_code == 413 and str(4 * MiB) in too_big.json()["detail"]


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_an_early_upstream_answer_is_relayed_not_502(start_gateway, org, root_unit, h, declared):
    """The service refuses a body before it has all arrived (here its own limit is below the
    gateway's: 413 from its Content-Length, or halfway through a chunked body; likewise a 401 or
    404 answered before reading): its answer reaches the client. It was a 502 when the service
    closed the connection under the still-streaming gateway."""
    headers = {**await org.token(await org.user(root_unit["id"], ["sales"])), "Accept-Language": "en"}
    size = 16 * MiB
    if declared:
        headers["Content-Length"] = str(size)
    upstream, received = counting_upstream(limit=MiB)
    async with gateway_before(upstream, start_gateway, h, customers_max_body_bytes=64 * MiB) as client:
        for _ in range(3):
            response = await client.post("/api/v1/customers/upload", content=zeros(size), headers=headers)
            assert response.status_code == 413, response.text
            assert str(MiB) in response.json()["detail"]  # the service's limit: its answer
            refused = await client.post("/api/v1/customers/c1/upload?refuse=404", content=zeros(size // 16),
                                        headers={**headers, "Content-Length": str(size // 16)} if declared else headers)
            assert refused.status_code == 404 and refused.json() == {"code": "not_found"}
            # the pooled connections stay sound: nothing of a refused body is taken for the next request
            for size_after in (1000, MiB // 2):
                after = await client.post("/api/v1/customers/c1/upload", content=b"y" * size_after, headers=headers
                                          if not declared else {**headers, "Content-Length": str(size_after)})
                assert after.status_code == 200 and after.json() == {"size": size_after}, after.text
    assert received == [1000, MiB // 2] * 3


async def test_requests_spread_over_a_services_replicas_and_pass_a_dead_one(start_gateway, org, root_unit, h):
    """S-2: the service's URL names three processes, one of them dead (nothing listens): every
    request — a streamed body too — reaches a live one, both live ones get a share, and the dead
    one, resting after its refusal, costs no request."""
    headers = {**await org.token(await org.user(root_unit["id"], ["sales"])), "Accept-Language": "en"}
    first, first_received = counting_upstream()
    second, second_received = counting_upstream()
    dead = f"http://127.0.0.1:{h.free_port()}"
    async with h.serve(first, h.free_port()) as first_url, h.serve(second, h.free_port()) as second_url, \
            start_gateway(customers_url=f"{dead},{first_url},{second_url}/") as gateway, \
            h.serve(gateway.app, h.free_port(), lifespan="off") as url, \
            httpx.AsyncClient(base_url=url, timeout=20) as client:
        for n in range(12):
            body = zeros(256 * 1024) if n % 3 == 0 else b"x" * n
            answer = await client.post("/api/v1/customers", content=body, headers=headers)
            assert answer.status_code == 200, answer.text
        assert len(first_received) + len(second_received) == 12
        assert first_received and second_received
        assert sorted(first_received + second_received) == sorted([256 * 1024] * 4 + [n for n in range(12) if n % 3])


async def test_a_service_whose_replicas_are_all_down_is_503(start_gateway, org, root_unit, h):
    headers = {**await org.token(await org.user(root_unit["id"], ["sales"])), "Accept-Language": "en"}
    dead = ",".join(f"http://127.0.0.1:{h.free_port()}" for _ in range(2))
    async with start_gateway(customers_url=dead) as gateway, \
            h.serve(gateway.app, h.free_port(), lifespan="off") as url, \
            httpx.AsyncClient(base_url=url, timeout=20) as client:
        for _ in range(3):
            answer = await client.post("/api/v1/customers", content=b"{}", headers=headers)
            assert answer.status_code == 503 and answer.json()["code"] == "service_unavailable"
            assert answer.headers["content-type"].startswith("application/problem+json")
