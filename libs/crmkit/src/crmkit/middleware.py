"""Pure ASGI middleware: request/correlation ids, one log line and one histogram sample per
request, and a body-size limit (Content-Length and streamed bodies alike)."""
from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable

import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crmkit import i18n, metrics, unit_of_work
from crmkit.db import caused_by_outage
from crmkit.errors import problem_document
from crmkit.logging import bind_ids, clear_ids, get_logger

log = get_logger("http")
QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class _BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit. An HTTPException, so that
    FastAPI lets it through instead of turning it into a 400 "error parsing the body"."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


# A body still on its way when the answer is ready (a 413, or any refusal before reading it all)
# is read and dropped, up to this much and for so long, before the answer ends: closing the
# connection under a sender resets it, and the sender (a client, the gateway's proxy) never sees
# the answer.
LINGER_BYTES = 64 * 1024 * 1024
LINGER_SECONDS = 5.0


async def _drain(receive: Receive, declared_left: int) -> None:
    if declared_left > LINGER_BYTES:
        return

    async def drain() -> None:
        left = LINGER_BYTES
        while left > 0:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                return
            left -= len(message.get("body", b""))

    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(drain(), LINGER_SECONDS)


class RequestContextMiddleware:
    """`body_limit(scope)`, when given, is the limit of that request (the gateway's per-route limits,
    the owning service's); else `max_body_bytes`."""

    def __init__(self, app: ASGIApp, *, service: str, max_body_bytes: int,
                 body_limit: Callable[[Scope], int] | None = None, linger: bool = True) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes
        self.body_limit = body_limit
        self.linger = linger  # drain what is left of a body answered early (not in a proxy: it streams it on)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = (_header(scope, b"x-request-id") or "")[:128] or uuid.uuid4().hex
        correlation_id = (_header(scope, b"x-correlation-id") or "")[:128] or request_id
        scope.setdefault("state", {})["request_id"] = request_id
        scope["state"]["correlation_id"] = correlation_id
        bind_ids(request_id=request_id, correlation_id=correlation_id)
        with unit_of_work.bound(unit_of_work.MessageContext(correlation_id=correlation_id)):
            await self._serve(scope, receive, send, request_id)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started, status = time.perf_counter(), 500
        received, too_large, response_started, body_done, reading = 0, False, False, False, False
        limit = self.body_limit(scope) if self.body_limit else self.max_body_bytes
        length = _header(scope, b"content-length")
        declared = int(length) if length and length.strip().isdigit() else None
        has_body = bool(declared) or "chunked" in (_header(scope, b"transfer-encoding") or "").lower()
        waits_for_continue = (_header(scope, b"expect") or "").lower() == "100-continue"

        async def limited_receive() -> Message:
            nonlocal received, too_large, body_done, reading
            reading = True
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body")
                if received > limit:
                    too_large = True
                    raise _BodyTooLarge()
            return message

        async def send_with_ids(message: Message) -> None:
            nonlocal status, response_started
            if too_large:  # whatever the app answers, the answer is our 413
                return
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                message = {**message, "headers": [*message.get("headers", []),
                                                   (b"x-request-id", request_id.encode())]}
            elif (not message.get("more_body") and self.linger and has_body and not body_done
                  and (reading or not waits_for_continue)):  # answered before the body all came
                await _drain(receive, (declared or 0) - received)
            await send(message)

        try:
            if declared is not None and declared > limit:
                too_large = True
                if not waits_for_continue:
                    await _drain(receive, declared)
            else:
                try:
                    await self.app(scope, limited_receive, send_with_ids)
                except _BodyTooLarge:
                    pass
                except Exception as exc:
                    if not too_large:
                        if not response_started:  # logged as the error handler outside this one answers
                            status = 503 if caused_by_outage(exc) else 500
                        raise
            if too_large:
                status = 413
                if received and not body_done and not response_started:
                    await _drain(receive, (declared or 0) - received)
                if not response_started:
                    await self._too_large(scope, send, request_id, limit)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics.HTTP_LATENCY.labels(self.service, scope["method"], route, str(status)).observe(elapsed)
            if scope["path"] not in QUIET_PATHS:
                log.info("request", method=scope["method"], path=scope["path"], status=status,
                         ms=round(elapsed * 1000, 2))
            clear_ids()

    async def _too_large(self, scope: Scope, send: Send, request_id: str, limit: int) -> None:
        lang = i18n.language(_header(scope, b"accept-language"))
        body = orjson.dumps(problem_document(413, "payload_too_large", lang, {"limit": limit},
                                             instance=scope.get("path", "")))
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
            (b"content-language", lang.encode()), (b"x-request-id", request_id.encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
