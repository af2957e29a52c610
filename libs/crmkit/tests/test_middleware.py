"""Request context middleware: ids, body limit (no I/O)."""
from __future__ import annotations

import re

import httpx
import pytest
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import Response

from crmkit import errors
from crmkit.middleware import RequestContextMiddleware

LIMIT = 100
SHARED = Response(b"shared", media_type="text/plain")


@pytest.fixture
async def client():
    app = FastAPI()
    errors.install_handlers(app)
    app.add_middleware(RequestContextMiddleware, service="crmkit-test-mw", max_body_bytes=LIMIT)
    app.state.calls = 0

    @app.post("/echo")
    async def echo(request: Request):
        app.state.calls += 1
        body = await request.body()
        context = structlog.contextvars.get_contextvars()
        return {"size": len(body), "request_id": request.state.request_id,
                "correlation_id": request.state.correlation_id, "logged": context.get("correlation_id")}

    @app.get("/shared")
    async def shared():
        return SHARED

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        c.app = app
        yield c


async def test_request_and_correlation_ids(client):
    response = await client.post("/echo", content=b"abc")
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    assert body["request_id"] == response.headers["x-request-id"]
    assert body["correlation_id"] == body["request_id"] == body["logged"]

    response = await client.post("/echo", content=b"abc", headers={"X-Request-Id": "r-1", "X-Correlation-Id": "c-1"})
    assert response.headers["x-request-id"] == "r-1"
    assert response.json()["correlation_id"] == "c-1" and response.json()["logged"] == "c-1"
    assert "correlation_id" not in structlog.contextvars.get_contextvars()


async def test_a_response_object_sent_twice_gets_one_request_id_each_time(client):
    for i in range(3):
        response = await client.get("/shared", headers={"X-Request-Id": f"r-{i}"})
        assert response.headers.get_list("x-request-id") == [f"r-{i}"]


async def test_body_limit(client):
    assert (await client.post("/echo", content=b"x" * LIMIT)).json()["size"] == LIMIT
    calls = client.app.state.calls
    response = await client.post("/echo", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert response.headers["content-language"] == "vi"
    assert client.app.state.calls == calls  # declared too large: the app never ran

    async def stream(n):
        for _ in range(n):
            yield b"x" * 30

    assert (await client.post("/echo", content=stream(3))).json()["size"] == 90
    response = await client.post("/echo", content=stream(5), headers={"Accept-Language": "en"})
    assert response.status_code == 413
    assert response.json()["title"] == "Payload too large"
    assert str(LIMIT) in response.json()["detail"]
