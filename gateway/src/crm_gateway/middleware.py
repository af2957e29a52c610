"""Pure ASGI middleware of the edge: the client's address, API-key exchange and the small body limit
of own endpoints."""
from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crmkit.domain_errors import Unauthenticated
from crmkit.errors import ProblemError, problem_of_domain_error, problem_response

from crm_gateway import proxy
from crm_gateway.domain import client_address
from crm_gateway.ratelimit import limit_api_key


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]


class ClientAddressMiddleware:
    """Replaces the socket peer by the client's address resolved through the trusted proxies
    (`CRM_GATEWAY_TRUSTED_PROXIES`), so rate limits, lock-out, audits and logs all see the client.

    Only the header the proxies maintain (`CRM_GATEWAY_FORWARDED_HEADER`) is read: a proxy that
    appends to `X-Forwarded-For` passes a client's own `Forwarded` header through untouched.
    """

    def __init__(self, app: ASGIApp, *, trusted: list[client_address.IPNetwork], header: str) -> None:
        self.app = app
        self.trusted = trusted
        self.header = header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted and scope.get("client"):
            host, port = scope["client"]
            values = _headers(scope, self.header.encode())
            chain = (client_address.forwarded_chain(values) if self.header == "forwarded"
                     else client_address.x_forwarded_for_chain(values))
            resolved = client_address.resolve(host, chain, self.trusted)
            if resolved != host:
                scope = dict(scope, client=(resolved, 0))
        await self.app(scope, receive, send)


async def _send_problem(scope: Scope, receive: Receive, send: Send, exc: ProblemError) -> None:
    await problem_response(Request(scope), exc)(scope, receive, send)


class ApiKeyMiddleware:
    """`X-API-Key: <key>` → `Authorization: Bearer <short-lived service JWT>`.

    Everything behind it (the gateway's own routes and the services) only ever sees JWTs; the key
    itself never leaves the gateway. The key's own rate limit is enforced here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        api_key = _header(scope, b"x-api-key") if scope["type"] == "http" else None
        if not api_key:
            return await self.app(scope, receive, send)
        try:
            caller = await scope["app"].state.service_tokens.authenticate(api_key.strip())
            limit_api_key(scope["app"], str(caller.key_id), caller.rate_limit_per_minute)
        except Unauthenticated as exc:  # the scheme the caller should use, as a 401 must say
            problem = problem_of_domain_error(exc)
            problem.headers["WWW-Authenticate"] = "ApiKey"
            return await _send_problem(scope, receive, send, problem)
        except ProblemError as exc:
            return await _send_problem(scope, receive, send, exc)
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"x-api-key", b"authorization")]
        headers.append((b"authorization", f"Bearer {caller.token}".encode()))
        scope = dict(scope, headers=headers)
        scope.setdefault("state", {})["api_key_id"] = str(caller.key_id)
        await self.app(scope, receive, send)


class OwnBodyLimitMiddleware:
    """The gateway's own JSON endpoints take small bodies: buffer up to `limit` bytes, else 413.

    Proxied paths stream through untouched (crmkit's limit and the services' own limits apply).
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or proxy.service_of(scope) is not None:
            return await self.app(scope, receive, send)
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.limit:
            return await self._too_large(scope, receive, send)
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.limit:
                return await self._too_large(scope, receive, send)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        await self.app(scope, _replay(messages, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _send_problem(scope, receive, send, ProblemError(413, "payload_too_large", params={"limit": self.limit}))


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed
