"""The edge (crm_gateway.edge): the rendered config run by a real nginx in front of stand-in
upstreams that say who they are, so each routing rule and each of nginx's own refusals is seen
from the outside. (The whole platform runs behind it in tests/: every end-to-end test passes it.)"""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import uuid

import httpx
import pytest
import pytest_asyncio

from crm_gateway import edge
from crm_gateway.settings import GatewaySettings

SERVICES = ("customers", "interactions", "assignment", "compensation")
BURST = 3


def token() -> dict[str, str]:
    """A bearer token of its own (the edge limits each token's rate; this one is fresh)."""
    return {"Authorization": f"Bearer a.b.{uuid.uuid4().hex}"}


def nginx_binary() -> str:
    if os.environ.get("CRM_EDGE") == "none":
        pytest.skip("CRM_EDGE=none: this stack runs without the edge")
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    assert found, "nginx is installed by `deploy/local/crm-local install` (apt-get install nginx-light)"
    return found


async def wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(200):
        assert process.poll() is None, "nginx exited"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("nginx did not open its port")


@pytest_asyncio.fixture(scope="module")
async def edge_client(tmp_path_factory, stand_ins):
    binary = nginx_binary()
    directory = tmp_path_factory.mktemp("edge")
    async with contextlib.AsyncExitStack() as stack:
        urls = {name: await stack.enter_async_context(stand_ins.serve(name))
                for name in ("gateway", *SERVICES)}
        settings = GatewaySettings(
            **{f"{service}_url": urls[service] for service in SERVICES},
            import_url=f"http://127.0.0.1:{stand_ins.free_port()}",  # nobody listens: the service is down
            customers_max_body_bytes=1024, rate_limit_user_per_minute=6, rate_limit_user_burst=BURST,
            trusted_proxies="10.0.0.0/8,127.0.0.1/32", cors_origins=["http://console.test"],
            proxy_read_timeout=1.0)
        port = stand_ins.free_port()
        config = edge.EdgeConfig(listen=f"127.0.0.1:{port}", gateway_urls=[urls["gateway"]], directory=str(directory))
        (directory / "nginx.conf").write_text(edge.render(settings, config))
        process = subprocess.Popen([binary, "-p", str(directory), "-c", str(directory / "nginx.conf"),
                                    "-g", "daemon off;"], stderr=subprocess.PIPE)
        try:
            await wait_for_port(port, process)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                yield client
        finally:
            process.terminate()
            process.wait(timeout=10)


async def upstream_of(client: httpx.AsyncClient, method: str, path: str, **kwargs) -> str:
    response = await client.request(method, path, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()["service"]


@pytest.mark.parametrize(("method", "path", "upstream"), [
    ("GET", "/api/v1/customers", "customers"),
    ("GET", "/api/v1/customers/c1", "customers"),
    ("PATCH", "/api/v1/customer-labels/hot", "customers"),
    ("GET", "/api/v1/customers/c1/timeline", "interactions"),
    ("POST", "/api/v1/customers/c1/notes", "interactions"),
    ("GET", "/api/v1/notifications", "interactions"),
    ("GET", "/api/v1/jobs/j1/report", "assignment"),
    ("GET", "/api/v1/compensation-requests", "compensation"),
    # the gateway's own paths, and look-alikes that are not a service's
    ("GET", "/api/v1/users", "gateway"),
    ("GET", "/api/v1/customersx", "gateway"),
    ("GET", "/api/v1/me", "gateway"),
    # services' paths the gateway still handles: long writes, uploads, the public feed
    ("POST", "/api/v1/assignments", "gateway"),
    ("POST", "/api/v1/recalls", "gateway"),
    ("POST", "/api/v1/customers/c1/attachments", "gateway"),
    ("POST", "/api/v1/imports/uploads", "gateway"),
    ("GET", "/api/v1/me/calendar.ics", "gateway"),
])
async def test_each_path_reaches_its_owner(edge_client, method, path, upstream):
    assert await upstream_of(edge_client, method, path, headers=token()) == upstream


async def test_api_keys_and_cors_requests_go_through_the_gateway(edge_client):
    assert await upstream_of(edge_client, "GET", "/api/v1/customers", headers={"X-API-Key": "k"}) == "gateway"
    assert await upstream_of(edge_client, "GET", "/api/v1/customers", headers={"Origin": "http://console.test"}) \
        == "gateway"


async def test_the_raw_path_and_query_reach_the_service_unchanged(edge_client):
    response = await edge_client.get("/api/v1/customers/a%2Fb%20c", params={"q": "nguyễn văn"}, headers=token())
    assert response.json()["raw_path"] == "/api/v1/customers/a%2Fb%20c"
    assert response.json()["query"] == "q=nguy%E1%BB%85n+v%C4%83n"


async def test_the_client_address_comes_from_the_trusted_proxies_only(edge_client):
    async def forwarded(value: str) -> str:
        response = await edge_client.get("/api/v1/users", headers={**token(), "X-Forwarded-For": value})
        return response.json()["headers"]["x-forwarded-for"]

    # a client's own entries left of the last trusted hop are not believed
    assert await forwarded("203.0.113.9, 10.1.2.3") == "203.0.113.9"
    assert await forwarded("198.51.100.7, 203.0.113.9, 10.1.2.3") == "203.0.113.9"


async def test_every_request_gets_the_edges_request_id(edge_client):
    response = await edge_client.get("/api/v1/customers/c2", headers={**token(), "X-Request-ID": "mine"})
    request_id = response.json()["headers"]["x-request-id"]
    assert request_id != "mine" and len(request_id) == 32


@pytest.mark.parametrize(("language", "detail"), [
    (None, "Kích thước yêu cầu vượt quá giới hạn 1024 byte."),
    ("en-US,en;q=0.8", "The request body exceeds the limit of 1024 bytes."),
])
async def test_a_body_over_the_services_limit_is_a_413_problem(edge_client, language, detail):
    headers = {**token(), **({"Accept-Language": language} if language else {})}
    response = await edge_client.post("/api/v1/customers", content=b"x" * 2048, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large" and response.json()["detail"] == detail


async def test_a_token_over_its_rate_is_refused_with_429_and_others_are_not(edge_client):
    rated = token()
    statuses = [(await edge_client.get("/api/v1/customers/c3", headers=rated)).status_code for _ in range(BURST + 3)]
    assert statuses[:BURST] == [200] * BURST and statuses[-1] == 429, statuses
    refused = await edge_client.get("/api/v1/customers/c3", headers={**rated, "Accept-Language": "en"})
    assert refused.json()["code"] == "rate_limited" and refused.headers["retry-after"] == "10"
    assert (await edge_client.get("/api/v1/customers/c3", headers=token())).status_code == 200


async def test_large_cookies_pass_and_larger_headers_are_a_431_problem(edge_client):
    cookies = "; ".join(f"crm_device_{n:016x}={'d' * 200}" for n in range(400))  # ~90 kB on one line
    assert await upstream_of(edge_client, "POST", "/api/v1/auth/login", headers={"Cookie": cookies}) == "gateway"
    response = await edge_client.post("/api/v1/auth/login", headers={"Cookie": "c=" + "x" * 300_000})
    assert response.status_code == 431 and response.json()["code"] == "headers_too_large"


async def test_a_nul_byte_in_a_path_is_refused_as_invalid_characters_of_the_path(edge_client):
    """nginx refuses it while reading the request line (no headers yet: the answer is in Vietnamese)."""
    response = await edge_client.get("/api/v1/customers/ab%00cd/timeline", headers=token())
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_characters" and response.json()["errors"][0]["field"] == "path"
    malformed = await edge_client.get("/api/v1/customers/ab%zzcd", headers=token())
    assert malformed.status_code == 400 and malformed.json()["code"] == "bad_request"


async def test_a_service_that_is_down_is_a_503_problem_naming_it(edge_client):
    response = await edge_client.get("/api/v1/imports", headers={**token(), "Accept-Language": "en"})
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert response.json()["code"] == "service_unavailable" and "import" in response.json()["detail"]


async def test_a_service_that_does_not_answer_in_time_is_a_504_problem(edge_client):
    response = await edge_client.get("/api/v1/jobs/slow", params={"seconds": "2.5"},
                                     headers={**token(), "Accept-Language": "en"})
    assert response.status_code == 504 and response.json()["code"] == "gateway_timeout"
    assert "assignment" in response.json()["detail"]


def test_route_patterns_nginx_cannot_read_are_refused():
    with pytest.raises(ValueError):
        edge._nginx_regex('^/api/v1/(?:a|b) {2}"')
