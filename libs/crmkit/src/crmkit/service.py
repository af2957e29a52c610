"""The one shape of every service: `create_service_app(ServiceSpec(...))`.

The lifespan opens the pool, applies migrations, and — depending on `run_mode` — serves the API,
runs the outbox relay and the consumers, or both.
"""
from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.middleware import Middleware
from starlette.types import Scope

from crmkit import asyncapi, directory, errors, idempotency, metrics, openapi, outbox, revocation, text
from crmkit.auth import TokenVerifier
from crmkit.consumer import EventConsumer, Handler
from crmkit.db import create_pool, migrate
from crmkit.logging import configure_logging, get_logger
from crmkit.middleware import RequestContextMiddleware
from crmkit.settings import ServiceSettings

log = get_logger(__name__)


@dataclass
class ConsumerSpec:
    name: str  # also the consumer group and the inbox key
    topics: list[str]
    handlers: Mapping[str, Handler]


def directory_consumer() -> ConsumerSpec:
    return ConsumerSpec(name="directory", topics=[directory.IDENTITY_TOPIC], handlers=directory.HANDLERS)


@dataclass
class ServiceSpec:
    name: str
    settings: ServiceSettings
    migrations_dir: Path
    routers: list[APIRouter] = field(default_factory=list)
    consumers: list[ConsumerSpec] = field(default_factory=list)
    background: list[Callable[[FastAPI], Coroutine[Any, Any, None]]] = field(default_factory=list)
    title: str = ""
    description: str = ""
    keeps_directory: bool = True  # the user directory read model from identity events
    # Entered once the pool is open and migrations applied (app.state.pool is set); left before it closes.
    lifespan: Callable[[FastAPI], contextlib.AbstractAsyncContextManager[Any]] | None = None
    # Innermost middleware, inside the request-context one, so their responses carry request ids.
    middleware: list[Middleware] = field(default_factory=list)
    # The request-body limit per request (scope -> bytes); default: `settings.max_body_bytes` for all.
    body_limit: Callable[[Scope], int] | None = None
    # The service's own OpenAPI document (the gateway merges them and serves /api/openapi.json itself).
    openapi_url: str | None = "/openapi.json"
    proxies_bodies: bool = False  # the gateway: a body answered early is still being streamed on


async def _kafka_reachable(bootstrap: str, timeout: float = 1.0) -> bool:
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), timeout)
            writer.close()
            return True
        except (TimeoutError, OSError, ValueError):
            continue
    return False


async def _housekeeping(app: FastAPI) -> None:
    while True:
        await asyncio.sleep(3600)
        with contextlib.suppress(Exception):
            await idempotency.purge_expired(app.state.pool)
            await outbox.purge_published(app.state.pool)


def _start_workers(app: FastAPI, spec: ServiceSpec, pool: asyncpg.Pool) -> list[asyncio.Task[None]]:
    settings = spec.settings
    relay = outbox.OutboxRelay(
        dsn=settings.database_url, service=spec.name, poll_seconds=settings.outbox_poll_seconds,
        producer_factory=lambda: outbox.make_producer(settings.kafka_bootstrap, f"{spec.name}-outbox"),
    )
    app.state.relay = relay
    app.state.consumers = [
        EventConsumer(name=f"crm-{spec.name}.{c.name}", pool=pool, bootstrap=settings.kafka_bootstrap,
                      topics=c.topics, handlers=c.handlers, max_attempts=settings.consumer_max_attempts,
                      backoff_seconds=settings.consumer_backoff_seconds)
        for c in [*spec.consumers, *([directory_consumer()] if spec.keeps_directory else [])]
    ]
    coros = [relay.run(), _housekeeping(app)] + [_supervise(c) for c in app.state.consumers]
    coros += [job(app) for job in spec.background]
    return [asyncio.create_task(c) for c in coros]


async def _supervise(consumer: EventConsumer) -> None:
    """Restart a consumer whose loop died (broker gone, group coordinator errors)."""
    while True:
        try:
            await consumer.run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("consumer_restarting", consumer=consumer.name, error=repr(exc))
            await asyncio.sleep(2)


@contextlib.asynccontextmanager
async def _running(coro: Coroutine[Any, Any, None]) -> AsyncIterator[asyncio.Task[None]]:
    """A background task for the life of the app."""
    task = asyncio.create_task(coro)
    try:
        yield task
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@contextlib.asynccontextmanager
async def _workers(app: FastAPI, spec: ServiceSpec, pool: asyncpg.Pool) -> AsyncIterator[None]:
    tasks = _start_workers(app, spec, pool) if spec.settings.runs_worker else []
    try:
        yield
    finally:
        if hasattr(app.state, "relay"):
            app.state.relay.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def tune_gc(gen0_threshold: int) -> None:
    """Collect the young generation every `gen0_threshold` allocations instead of Python's 700.

    The services build objects by the hundred thousand (100,000 ids of a distribution, their
    rows and events), and with the default every 700 new containers start a collection that also
    walks what the batch has built so far. Measured on a distribution of 100,000 leads and its
    recall, 700 then 50,000 in the same session (docs/benchmarks.md, issue 13, 2026-11-30): the
    assignment service's CPU to answer 1.11-1.18 s -> 0.97 s, the customers service's to apply the
    recall 3.07-3.18 s -> 2.77-3.01 s; resident memory after two runs 138 / 131 MB -> 137 / 130 MB
    (customers / assignment): unreachable cycles only wait a little longer."""
    gc.set_threshold(gen0_threshold, 20, 20)


def create_service_app(spec: ServiceSpec) -> FastAPI:
    settings = spec.settings

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(spec.name, settings.log_level)
        tune_gc(settings.gc_gen0_threshold)  # here: each of uvicorn's worker processes runs the lifespan
        pool = await create_pool(settings.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
        async with pool.acquire() as conn:
            await migrate(conn, spec.migrations_dir)
        app.state.pool = pool
        if not hasattr(app.state, "token_verifier"):
            app.state.token_verifier = TokenVerifier.from_file(settings.jwt_public_key_file, issuer=settings.jwt_issuer)
        try:
            async with contextlib.AsyncExitStack() as stack:
                if spec.keeps_directory and settings.runs_api:
                    app.state.token_revocations = revocation.from_directory(pool)
                    await stack.enter_async_context(_running(app.state.token_revocations.run()))
                if spec.lifespan is not None:
                    await stack.enter_async_context(spec.lifespan(app))
                async with _workers(app, spec, pool):
                    log.info("service_started", port=settings.port, mode=settings.run_mode)
                    yield
        finally:
            await pool.close()

    app = FastAPI(title=spec.title or f"crm-{spec.name}", description=spec.description, version="1.0.0",
                  lifespan=lifespan, openapi_url=spec.openapi_url,
                  docs_url=None, redoc_url=None,  # they load from a CDN; the gateway serves /api/docs
                  dependencies=[Depends(text.refuse_invalid_text)])
    app.state.settings = settings
    errors.install_handlers(app)
    openapi.install(app)  # every error response documented as problem+json
    app.user_middleware.extend(spec.middleware)
    app.add_middleware(RequestContextMiddleware, service=spec.name, max_body_bytes=settings.max_body_bytes,
                       body_limit=spec.body_limit, linger=not spec.proxies_bodies)
    install_platform_routes(app, settings.kafka_bootstrap, metrics_route=settings.metrics_port is None)

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> dict[str, Any]:
        return asyncapi.document(app.title, service=spec.name)

    if settings.runs_api:
        for router in spec.routers:
            app.include_router(router)
    return app


def install_platform_routes(app: FastAPI, kafka_bootstrap: str, *, metrics_route: bool = True) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        checks = {"database": False, "kafka": await _kafka_reachable(kafka_bootstrap)}
        with contextlib.suppress(Exception):
            checks["database"] = await request.app.state.pool.fetchval("SELECT true", timeout=2)
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "not_ready", "checks": checks}, status_code=200 if ok else 503)

    if metrics_route:
        @app.get("/metrics", include_in_schema=False)
        async def prometheus_metrics() -> Response:
            body, content_type = metrics.render()
            return Response(body, media_type=content_type)


KEEP_ALIVE_SECONDS = 75


def run(app_path: str, settings: ServiceSettings, *, proxy_headers: bool = True, workers: int = 1) -> None:
    """`proxy_headers=False`: the app resolves the client's address itself (the gateway, from its
    own list of trusted proxies) instead of uvicorn trusting X-Forwarded-For from 127.0.0.1.
    `workers` > 1: uvicorn's worker processes share the port (each runs the whole lifespan)."""
    import uvicorn

    if settings.metrics_port is not None:
        metrics.serve(settings.host, settings.metrics_port, worker_processes=workers > 1)
    # An idle connection must outlive the gateway's pooled reuse of it (CRM_GATEWAY_PROXY_KEEPALIVE_EXPIRY,
    # 30 s): with uvicorn's default of 5 s a service closed connections the gateway was about to reuse,
    # and the request failed as a 502 (3 times in five runs of tests/test_bola_matrix.py, ~4,000 requests each).
    uvicorn.run(app_path, factory=True, host=settings.host, port=settings.port, log_config=None,
                access_log=False, proxy_headers=proxy_headers, lifespan="on", workers=workers,
                timeout_keep_alive=KEEP_ALIVE_SECONDS)
