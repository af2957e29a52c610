"""Reverse proxy of `/api/v1/*` to the owning service: streamed both ways, one pooled client.

The route table below is the one place that says which service owns which path (ordered, most
specific first). The gateway authenticates before forwarding: bearer tokens are forwarded
untouched, API keys arrive here already exchanged for a service JWT (see middleware.py).
"""
from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable

import aiohttp
import httpx
import yarl
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from prometheus_client import Histogram
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from crmkit.auth import current_principal
from crmkit.errors import ProblemError, allowed_methods, problem_of_http_exception, problem_response
from crmkit.logging import get_logger
from crmkit.upstreams import Upstreams

from crm_gateway.ratelimit import client_ip, limit_principal
from crm_gateway.settings import GatewaySettings

log = get_logger(__name__)
API = "/api/v1/"


def _under(*prefixes: str) -> str:
    """Paths equal to or below any of the prefixes (segment boundaries respected)."""
    return r"^/api/v1/(?:" + "|".join(re.escape(p) for p in prefixes) + r")(?:/|$)"


ROUTE_TABLE: list[tuple[str, str]] = [
    (r"^/api/v1/customers/[^/]+/"
     r"(?:timeline|comments|attachments|care-tickets|support-tickets|appointments|calls|notes)(?:/|$)",
     "interactions"),
    (_under("customers", "customer-attributes", "customer-statuses", "customer-labels", "customer-groups",
            "me/views"), "customers"),
    (_under("comments", "attachments", "care-tickets", "support-tickets", "appointments", "notifications",
            "me/calendar.ics", "me/calendar-feed"), "interactions"),
    (_under("jobs", "assignments", "recalls", "roster", "territories"), "assignment"),
    (_under("lead-packages", "compensation-requests", "compensation-batches", "compensation-reasons",
            "compensation-rules", "compensation-settings", "compensation-reports"), "compensation"),
    (_under("imports"), "import"),
]
_COMPILED = [(re.compile(pattern), service) for pattern, service in ROUTE_TABLE]

# Paths that carry their own credentials (the iCal feed's `?token=`): forwarded without a login.
PUBLIC_PATHS = {"/api/v1/me/calendar.ics"}

FORWARDED_REQUEST_HEADERS = {
    "authorization", "accept", "accept-language", "accept-encoding", "content-type", "content-length",
    "content-encoding", "content-disposition", "content-md5", "if-match", "if-none-match",
    "if-modified-since", "if-unmodified-since", "range", "idempotency-key", "last-event-id", "user-agent",
    "cache-control", "x-correlation-id",
}
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade"}
# set again by this hop (uvicorn and crmkit's middleware)
DROPPED_RESPONSE_HEADERS = HOP_BY_HOP | {"date", "server", "x-request-id"}

UPSTREAM_SECONDS = Histogram(
    "crm_gateway_upstream_seconds", "Time to the upstream's response headers", ["service", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def service_for(path: str) -> str | None:
    for pattern, service in _COMPILED:
        if pattern.match(path):
            return service
    return None


def service_of(scope: Scope) -> str | None:
    """The service owning an HTTP request, matched once per request: the body limit, the own-body
    limit and the proxy all ask (the route table is walked pattern by pattern)."""
    if "crm.service" not in scope:
        scope["crm.service"] = service_for(scope["path"])
    service: str | None = scope["crm.service"]
    return service


# File uploads (raw or multipart) take their upload limit, not their service's JSON limit.
UPLOAD_ROUTES = re.compile(r"^/api/v1/(?:customers|support-tickets|comments)/[^/]+/attachments/?$")
IMPORT_UPLOAD_ROUTE = re.compile(r"^/api/v1/imports/uploads/?$")
UPLOAD_ENVELOPE_BYTES = 1024 * 1024


def service_body_limits(settings: GatewaySettings) -> dict[str, int]:
    """What each service accepts in a request body, within the gateway's own limit (also the edge's
    `client_max_body_size` of the service's paths)."""
    return {service: min(limit, settings.max_body_bytes) for service, limit in settings.service_body_limits().items()}


def body_limits(settings: GatewaySettings) -> Callable[[Scope], int]:
    """The request-body limit of each request (crmkit's middleware applies it to Content-Length
    and to streamed bodies): what the owning service accepts, so that an oversized body is
    refused here rather than cut off by the service halfway through the proxying."""
    per_service = service_body_limits(settings)
    upload = settings.attachment_max_bytes + UPLOAD_ENVELOPE_BYTES
    spreadsheet = settings.import_upload_max_bytes + UPLOAD_ENVELOPE_BYTES

    def limit(scope: Scope) -> int:
        service = service_of(scope)
        if service is None:
            return settings.max_body_bytes
        if scope["method"] == "POST" and UPLOAD_ROUTES.match(scope["path"]):
            return min(upload, settings.max_body_bytes)
        if scope["method"] == "POST" and IMPORT_UPLOAD_ROUTE.match(scope["path"]):
            return min(spreadsheet, settings.max_body_bytes)
        return per_service[service]

    return limit


class Proxy:
    """aiohttp for the hot path: httpx's pool scans every connection on each request (measured:
    a quarter of the gateway's CPU), aiohttp's does not. httpx stays for the docs fetches."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.upstreams = {service: Upstreams(urls, name=service) for service, urls in settings.service_urls().items()}
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=settings.proxy_max_connections,
                                           keepalive_timeout=settings.proxy_keepalive_expiry),
            auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
        )
        self.client = httpx.AsyncClient(timeout=settings.docs_fetch_timeout)  # docs aggregation only

    def timeout(self, *, streaming: bool, long_write: bool = False) -> aiohttp.ClientTimeout:
        s = self.settings
        read = None if streaming else s.proxy_long_write_timeout if long_write else s.proxy_read_timeout
        return aiohttp.ClientTimeout(total=None, connect=s.proxy_pool_timeout + s.proxy_connect_timeout,
                                     sock_connect=s.proxy_connect_timeout, sock_read=read)

    async def aclose(self) -> None:
        await self.session.close()
        await self.client.aclose()

    async def forward(self, request: Request, service: str) -> Response:
        started = time.perf_counter()
        try:
            upstream = await self._send(request, service)
        except ClientDisconnect:  # the caller went away while its body was being streamed
            log.info("client_disconnected", service=service)
            return Response(status_code=400)
        except (TimeoutError, aiohttp.ClientError) as exc:
            UPSTREAM_SECONDS.labels(service, type(exc).__name__).observe(time.perf_counter() - started)
            raise _problem_for(exc, service) from None
        UPSTREAM_SECONDS.labels(service, "ok").observe(time.perf_counter() - started)
        headers = _response_headers(upstream.raw_headers)
        if upstream.content_length is not None and upstream.content_length <= BUFFERED_RESPONSE_BYTES:
            return await _buffered(upstream, headers, service)
        response = StreamingResponse(_relay(upstream, service), status_code=upstream.status,
                                     background=BackgroundTask(upstream.release))
        response.raw_headers = headers
        return response

    async def _send(self, request: Request, service: str) -> aiohttp.ClientResponse:
        """To the service's processes in turn: one that refuses the connection (a replica just
        killed) passes the request, whose body has not been read yet, to the next."""
        target = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
        if request.url.query:
            target += "?" + request.url.query
        streaming = "text/event-stream" in request.headers.get("accept", "")
        headers, body = _request_headers(request), _body(request)
        return await self.upstreams[service].send(
            lambda base: self._request(request, base + target, headers, body, streaming=streaming),
            refused=aiohttp.ClientConnectorError)

    async def _request(self, request: Request, url: str, headers: list[tuple[str, str]],
                       body: AsyncIterator[bytes] | None, *, streaming: bool) -> aiohttp.ClientResponse:
        long_write = request.method == "POST" and request.url.path in LONG_WRITES
        return await self.session.request(
            request.method, yarl.URL(url, encoded=True), headers=headers, data=body,
            timeout=self.timeout(streaming=streaming, long_write=long_write), allow_redirects=False,
            expect100=_large_body(request),
        )


# Writes that apply a whole selection before they answer: C-10's bulk actions, a distribution, a
# recall (up to 100,000 customers each). They wait for the service up to proxy_long_write_timeout.
LONG_WRITES = frozenset({"/api/v1/customers/bulk", "/api/v1/assignments", "/api/v1/recalls"})


# Small answers (a customer, a page of a list) are read whole and sent in one message; larger
# ones and those of unknown length (downloads, SSE) stream through.
BUFFERED_RESPONSE_BYTES = 256 * 1024


async def _buffered(upstream: aiohttp.ClientResponse, headers: list[tuple[bytes, bytes]], service: str) -> Response:
    try:
        body = await upstream.read()
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise _problem_for(exc, service) from None
    finally:
        upstream.release()
    response = Response(content=body, status_code=upstream.status)
    response.raw_headers = headers
    return response


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return bool(length and length != "0") or "chunked" in request.headers.get("transfer-encoding", "").lower()


# Above this (or of unknown length) a body waits for the service's `100 Continue`: a service that
# answers from the headers alone (413 from Content-Length, 401, 404) does so before any byte is
# sent, instead of closing under a gateway still streaming (a reset connection, once a 502).
EXPECT_CONTINUE_BYTES = 64 * 1024


def _large_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length and length.strip().isdigit():
        return int(length) > EXPECT_CONTINUE_BYTES
    return "chunked" in request.headers.get("transfer-encoding", "").lower()


def _body(request: Request) -> AsyncIterator[bytes] | None:
    return request.stream() if _has_body(request) else None


def _request_headers(request: Request) -> list[tuple[str, str]]:
    headers = [(k, v) for k, v in request.headers.items() if k in FORWARDED_REQUEST_HEADERS]
    state = request.scope.get("state", {})
    headers.append(("x-request-id", state.get("request_id", "")))
    if "x-correlation-id" not in request.headers and state.get("correlation_id"):
        headers.append(("x-correlation-id", state["correlation_id"]))
    prior = request.headers.get("x-forwarded-for")
    headers.append(("x-forwarded-for", f"{prior}, {client_ip(request)}" if prior else client_ip(request)))
    headers.append(("x-forwarded-proto", request.url.scheme))
    if request.headers.get("host"):
        headers.append(("x-forwarded-host", request.headers["host"]))
    return headers


def _response_headers(raw: tuple[tuple[bytes, bytes], ...]) -> list[tuple[bytes, bytes]]:
    """Upstream headers minus hop-by-hop ones; repeated headers (Set-Cookie, Link) are kept."""
    pairs = [(k.decode("latin-1").lower(), v) for k, v in raw]
    connection_listed = {h.strip().lower() for k, v in pairs if k == "connection"
                         for h in v.decode("latin-1").split(",") if h.strip()}
    dropped = DROPPED_RESPONSE_HEADERS | connection_listed
    return [(k.encode("latin-1"), v) for k, v in pairs if k not in dropped]


async def _relay(upstream: aiohttp.ClientResponse, service: str) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream.content.iter_any():
            yield chunk
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.warning("upstream_stream_broken", service=service, error=repr(exc))
        raise
    finally:
        upstream.release()


def _problem_for(exc: Exception, service: str) -> ProblemError:
    if isinstance(exc, (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)):
        status, code = 503, "service_unavailable"
    elif isinstance(exc, asyncio.TimeoutError):  # includes aiohttp's read timeouts
        status, code = 504, "gateway_timeout"
    else:
        status, code = 502, "bad_gateway"
    log.warning("upstream_failed", service=service, status=status, error=repr(exc))
    headers = {"Retry-After": "5"} if status == 503 else {}
    return ProblemError(status, code, params={"service": service}, headers=headers, extra={"service": service})


async def _authorised_forward(request: Request, service: str) -> Response:
    if request.url.path not in PUBLIC_PATHS:
        limit_principal(request, await current_principal(request))
    return await request.app.state.proxy.forward(request, service)


class ProxyMiddleware:
    """Proxied paths are answered here, inside crmkit's request context (request ids, access log,
    body limit) and the API-key exchange, but before FastAPI's routing, dependency injection and
    exception wrappers: those cost about half of the gateway's CPU per proxied request (py-spy
    profile, docs/benchmarks.md). Errors are the same problem+json as everywhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = service_of(scope) if scope["type"] == "http" else None
        if service is None:
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        try:
            response = await _authorised_forward(request, service)
        except ProblemError as problem:
            response = problem_response(request, problem)
        except StarletteHTTPException as exc:  # e.g. the body limit, raised while the body streams
            response = problem_response(request, problem_of_http_exception(exc))
        await response(scope, receive, send)


router = APIRouter()
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@router.api_route("/api/v1/{path:path}", methods=METHODS, include_in_schema=False)
async def not_served(request: Request) -> Response:
    """What no route and no service serves (ProxyMiddleware answers the services' paths): 405 with
    the methods the gateway serves there (Allow), else 404."""
    allowed = allowed_methods(request.app.routes, request.url.path, ignore={not_served})
    if allowed:
        raise ProblemError(405, "method_not_allowed", headers={"Allow": ", ".join(allowed)})
    raise ProblemError(404, "not_found")
