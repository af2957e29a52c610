"""The gateway: identity (users, units, tokens, API keys), the reverse proxy, rate limits, docs.

Built on crmkit's service factory (pool, migrations, outbox relay, problem+json, request ids,
metrics, /healthz /readyz /metrics); the gateway adds its own state to the lifespan.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware

from crmkit import keys
from crmkit.auth import TokenVerifier
from crmkit.logging import get_logger
from crmkit.revocation import TokenRevocations
from crmkit.service import ServiceSpec, create_service_app

from crm_gateway import console, docs, proxy
from crm_gateway.api import api_keys, auth, logins, me, people, units, users
from crm_gateway.domain.passwords import Passwords
from crm_gateway.domain.tokens import TokenSigner
from crm_gateway.handlers import logins as login_handlers
from crm_gateway.handlers.api_keys import ServiceTokens
from crm_gateway.handlers.bootstrap import ensure_admin
from crm_gateway.handlers.common import Identity
from crm_gateway.messages import register_messages
from crm_gateway.middleware import ApiKeyMiddleware, ClientAddressMiddleware, OwnBodyLimitMiddleware
from crm_gateway.ratelimit import RateLimiter
from crm_gateway.settings import GatewaySettings
from crm_gateway.store import refresh_tokens
from crm_gateway.store import users as users_store

log = get_logger(__name__)
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
EXPOSED_HEADERS = ["ETag", "Location", "X-Request-ID", "Retry-After", "Idempotent-Replayed"]


def load_signer(settings: GatewaySettings) -> TokenSigner:
    """The Ed25519 signing key; generated (with its public half beside it) on first start."""
    path = settings.private_key_path
    if not path.exists():
        log.info("jwt_keys_generated", directory=str(path.parent))
        generated, _ = keys.generate(path.parent)
        if generated != path:
            generated.rename(path)
    return TokenSigner(path.read_bytes(), issuer=settings.jwt_issuer)


def new_passwords(settings: GatewaySettings) -> Passwords:
    return Passwords(time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib,
                     parallelism=settings.argon2_parallelism)


async def purge_refresh_tokens(app: FastAPI) -> None:
    while True:
        await asyncio.sleep(3600)
        with contextlib.suppress(Exception):
            await refresh_tokens.purge_expired(app.state.pool)


async def purge_login_records(app: FastAPI) -> None:
    """Keeps the login back-off and audit tables within their bounds."""
    while True:
        await asyncio.sleep(app.state.settings.login_purge_interval_seconds)
        with contextlib.suppress(Exception):
            await login_handlers.purge(app.state.identity)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    register_messages()
    signer = load_signer(settings)
    app = create_service_app(ServiceSpec(
        name="gateway", settings=settings, migrations_dir=MIGRATIONS, title=docs.TITLE,
        description=docs.DESCRIPTION, background=[purge_refresh_tokens, purge_login_records],
        keeps_directory=False,  # the gateway owns identity: it has the users themselves
        routers=[auth.router, me.router, units.router, users.router, logins.router, people.router, api_keys.router,
                 docs.router, proxy.router],
        lifespan=lambda app: _gateway_state(app, settings, signer), body_limit=proxy.body_limits(settings),
        proxies_bodies=True, openapi_url=None,  # the merged document is /api/openapi.json (docs.py)
        # inside crmkit's request context (request ids, access log, the large proxied-body limit)
        middleware=[Middleware(OwnBodyLimitMiddleware, limit=settings.own_max_body_bytes),
                    Middleware(ApiKeyMiddleware), Middleware(proxy.ProxyMiddleware)],
    ))
    app.state.signer = signer
    app.state.token_verifier = TokenVerifier(signer.public_key_pem(), issuer=settings.jwt_issuer)
    app.state.rate_limiter = RateLimiter(settings.rate_limit_max_buckets)
    app.state.ip_rate_limiter = RateLimiter(settings.rate_limit_max_ip_buckets)
    _mount_swagger_assets(app)
    console.mount(app, Path(settings.web_dir) if settings.web_dir else console.default_web_dir())
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True,
                       allow_methods=["*"], allow_headers=["*"], expose_headers=EXPOSED_HEADERS, max_age=600)
    app.add_middleware(ClientAddressMiddleware, trusted=settings.trusted_proxies, header=settings.forwarded_header)
    return app


@contextlib.asynccontextmanager
async def _gateway_state(app: FastAPI, settings: GatewaySettings, signer: TokenSigner) -> AsyncIterator[None]:
    identity = Identity(pool=app.state.pool, settings=settings, passwords=new_passwords(settings), signer=signer)
    app.state.identity = identity
    app.state.service_tokens = ServiceTokens(identity)
    app.state.proxy = proxy.Proxy(settings)
    app.state.docs = docs.DocsAggregator(settings=settings, client=app.state.proxy.client, own_openapi=app.openapi)
    await ensure_admin(identity=identity)
    # tokens issued before their user (or the user's unit) changed stop at once, on every path
    app.state.token_revocations = TokenRevocations(
        lambda since: users_store.changed_since(app.state.pool, since),
        window_seconds=max(settings.access_token_ttl_seconds, settings.service_token_ttl_seconds) + 60)
    await app.state.token_revocations.refresh()
    watcher = asyncio.create_task(app.state.token_revocations.run())
    try:
        yield
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await app.state.proxy.aclose()


def _mount_swagger_assets(app: FastAPI) -> None:
    directory = docs.swagger_assets_dir()
    if directory:
        app.mount(docs.ASSETS, StaticFiles(directory=directory), name="swagger-assets")
