"""Fixtures: a throwaway database and key pair, real upstream services on free ports (uvicorn),
and the gateway app running in-process (its lifespan, httpx.ASGITransport), with real PostgreSQL
and Kafka from deploy/local."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from crmkit import keys, testing

from crm_gateway.app import MIGRATIONS, create_app
from crm_gateway.settings import GatewaySettings

ADMIN_PASSWORD = "Admin@12345"
PASSWORD = "Secret@12345"
FORWARDED = ("authorization", "x-api-key", "x-request-id", "x-correlation-id", "x-forwarded-for",
             "accept-language", "if-match", "idempotency-key", "last-event-id", "connection", "host")


def uid() -> str:
    return uuid.uuid4().hex[:8]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------- upstream services
def upstream_app(service: str) -> Starlette:
    """A tiny stand-in for one owning service, served over a real socket."""

    async def whoami(request: Request):
        return JSONResponse({"service": service, "path": request.url.path, "query": request.url.query,
                             "raw_path": request.scope.get("raw_path", b"").decode("latin-1"),
                             "headers": {h: request.headers.get(h) for h in FORWARDED}})

    async def upload(request: Request):
        digest, size, chunks = hashlib.sha256(), 0, 0
        async for chunk in request.stream():
            digest.update(chunk)
            size += len(chunk)
            chunks += 1 if chunk else 0
        return JSONResponse({"size": size, "sha256": digest.hexdigest(), "chunks": chunks})

    async def download(request: Request):
        size = int(request.query_params["size"])

        async def body():
            sent = 0
            while sent < size:
                chunk = pattern_bytes(sent, min(65536, size - sent))
                sent += len(chunk)
                yield chunk

        return StreamingResponse(body(), media_type="application/octet-stream",
                                 headers={"content-length": str(size), "x-upstream": service})

    async def slow(request: Request):
        await asyncio.sleep(float(request.query_params.get("seconds", "3")))
        return JSONResponse({"slow": True})

    async def events(request: Request):
        async def stream():
            for n in range(3):
                yield f"id: {n}\nevent: tick\ndata: {n}\n\n".encode()
                await asyncio.sleep(1.3)

        return StreamingResponse(stream(), media_type="text/event-stream")

    async def openapi(request: Request):
        return JSONResponse(upstream_openapi(service))

    async def asyncapi(request: Request):
        return JSONResponse(upstream_asyncapi(service))

    return Starlette(routes=[
        Route("/openapi.json", openapi), Route("/asyncapi.json", asyncapi),
        Route("/api/v1/customers/upload", upload, methods=["POST"]),
        Route("/api/v1/customers/download", download),
        Route("/api/v1/jobs/slow", slow),
        Route("/api/v1/customers/bulk", slow, methods=["POST"]),
        Route("/api/v1/notifications/stream", events),
        Route("/api/v1/{rest:path}", whoami, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
    ])


_CYCLE = bytes(range(251))


def pattern_bytes(offset: int, length: int) -> bytes:
    """Deterministic bytes: position p holds p % 251."""
    start = offset % 251
    return (_CYCLE * ((start + length) // 251 + 1))[start:start + length]


def upstream_openapi(service: str) -> dict:
    paths = {
        "customers": {"/api/v1/customers/{customer_id}": {"get": {"summary": "A customer", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnitPublic"}}}}}}},
            "/internal/rebuild": {"post": {"summary": "internal", "responses": {"200": {"description": "ok"}}}}},
        "interactions": {"/api/v1/customers/{customer_id}/timeline": {"get": {"summary": "Timeline", "responses": {
            "200": {"description": "ok"}}}}},
        "assignment": {"/api/v1/jobs": {"get": {"summary": "Jobs", "responses": {"200": {"description": "ok"}}}}},
    }[service]
    return {"openapi": "3.1.0", "info": {"title": service, "version": "1"}, "paths": paths,
            "components": {"schemas": {"UnitPublic": {"type": "object", "properties": {"other": {"type": "string"}}}}}}


def upstream_asyncapi(service: str) -> dict:
    name = f"{service}.happened.v1"
    return {"asyncapi": "3.0.0", "info": {"title": service, "version": "1"},
            "channels": {f"crm.{service}": {"address": f"crm.{service}",
                                            "messages": {name: {"$ref": f"#/components/messages/{name}"}}}},
            "operations": {}, "components": {"messages": {name: {"name": f"{service}.happened"}}, "schemas": {}}}


@dataclass
class Upstreams:
    urls: dict[str, str]
    down_url: str


@contextlib.asynccontextmanager
async def serve(app, port: int, *, lifespan: str = "auto"):
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan=lifespan))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass(frozen=True)
class StandIns:
    """For tests that run their own proxy in front of stand-in services (test_edge)."""

    def serve(self, service: str):
        """An async context manager: the stand-in for `service` on a free port; gives its URL."""
        return serve(upstream_app(service), free_port())

    free_port = staticmethod(free_port)


@pytest.fixture(scope="session")
def stand_ins() -> StandIns:
    return StandIns()


@pytest_asyncio.fixture(scope="session")
async def upstreams():
    async with contextlib.AsyncExitStack() as stack:
        urls = {}
        for service in ("customers", "interactions", "assignment"):
            urls[service] = await stack.enter_async_context(serve(upstream_app(service), free_port()))
        yield Upstreams(urls=urls, down_url=f"http://127.0.0.1:{free_port()}")


# ----------------------------------------------------------------- the gateway
@pytest.fixture(scope="session")
def key_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("keys")
    keys.generate(directory)
    return directory


@pytest_asyncio.fixture(scope="session")
async def database():
    async with testing.temp_database(MIGRATIONS, prefix="gw") as dsn:
        yield dsn


@pytest.fixture(scope="session")
def make_settings(database, key_dir, upstreams):
    def build(**overrides) -> GatewaySettings:
        values = dict(
            database_url=database, jwt_private_key_file=str(key_dir / "jwt_private.pem"),
            jwt_public_key_file=str(key_dir / "jwt_public.pem"), kafka_bootstrap=testing.kafka_bootstrap(),
            environment="test", admin_username="admin", admin_password=ADMIN_PASSWORD,
            customers_url=upstreams.urls["customers"], interactions_url=upstreams.urls["interactions"],
            assignment_url=upstreams.urls["assignment"], compensation_url=upstreams.down_url,
            import_url=upstreams.down_url, argon2_time_cost=1, argon2_memory_kib=8192, argon2_parallelism=1,
            rate_limit_user_per_minute=100_000, rate_limit_user_burst=100_000,
            rate_limit_login_per_minute=100_000, rate_limit_login_burst=100_000, login_backoff_base_seconds=1,
            login_backoff_max_seconds=2,
            proxy_read_timeout=1.0, docs_fetch_timeout=1.0, outbox_poll_seconds=0.2, db_pool_min=1,
            db_pool_max=10, cors_origins=["http://console.test"],
            trusted_proxies=[],  # whatever the environment says (run-tests trusts 127.0.0.1 for tests/)
        )
        values.update(overrides)
        return GatewaySettings(**values)

    return build


@dataclass
class Gateway:
    app: object
    client: httpx.AsyncClient
    settings: GatewaySettings


@contextlib.asynccontextmanager
async def running(settings: GatewaySettings):
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test", timeout=30) as client:
            yield Gateway(app=app, client=client, settings=settings)


@pytest_asyncio.fixture(scope="session")
async def gw(make_settings):
    async with running(make_settings()) as gateway:
        yield gateway


@pytest.fixture(scope="session")
def start_gateway(make_settings):
    """Another gateway instance (own rate limiters, settings) on the same database."""
    return lambda **overrides: running(make_settings(**overrides))


# ----------------------------------------------------------------- helpers
async def login(client: httpx.AsyncClient, username: str, password: str) -> dict:
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest_asyncio.fixture(scope="session")
async def admin(gw) -> dict[str, str]:
    return bearer((await login(gw.client, "admin", ADMIN_PASSWORD))["access_token"])


@pytest_asyncio.fixture(scope="session")
async def root_unit(gw, admin) -> dict:
    units = (await gw.client.get("/api/v1/units", params={"kind": "company"}, headers=admin)).json()["items"]
    return units[0]


@dataclass
class Org:
    client: httpx.AsyncClient
    admin: dict[str, str]

    async def unit(self, kind: str, parent_id: str, name: str | None = None) -> dict:
        response = await self.client.post("/api/v1/units", headers=self.admin,
                                          json={"name": name or f"{kind} {uid()}", "kind": kind, "parent_id": parent_id})
        assert response.status_code == 201, response.text
        return response.json()

    async def user(self, unit_id: str, roles: list[str], username: str | None = None) -> dict:
        username = username or f"u.{uid()}"
        response = await self.client.post("/api/v1/users", headers=self.admin, json={
            "username": username, "password": PASSWORD, "full_name": "Nguyễn Thị Thử", "unit_id": unit_id,
            "roles": roles})
        assert response.status_code == 201, response.text
        return response.json()

    async def token(self, user: dict) -> dict[str, str]:
        return bearer((await login(self.client, user["username"], PASSWORD))["access_token"])


@pytest.fixture
def org(gw, admin) -> Org:
    return Org(client=gw.client, admin=admin)


@pytest.fixture(scope="session")
def h():
    """Helpers for the test modules (imported by fixture: the suite runs with --import-mode=importlib)."""
    from types import SimpleNamespace

    return SimpleNamespace(login=login, bearer=bearer, uid=uid, PASSWORD=PASSWORD, ADMIN_PASSWORD=ADMIN_PASSWORD,
                           running=running, serve=serve, free_port=free_port, pattern_bytes=pattern_bytes)
