"""Pure ASGI middleware: request/correlation ids, one log line and one histogram sample per
request, and a body-size limit (Content-Length and streamed bodies alike)."""
from __future__ import annotations

import time
import uuid

import orjson

from crmkit import i18n, metrics
from crmkit.logging import bind_ids, clear_ids, get_logger

log = get_logger("http")
QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class _BodyTooLarge(Exception):
    pass


class RequestContextMiddleware:
    def __init__(self, app, *, service: str, max_body_bytes: int) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = (_header(scope, b"x-request-id") or "")[:128] or uuid.uuid4().hex
        correlation_id = (_header(scope, b"x-correlation-id") or "")[:128] or request_id
        scope.setdefault("state", {})["request_id"] = request_id
        scope["state"]["correlation_id"] = correlation_id
        bind_ids(request_id=request_id, correlation_id=correlation_id)
        started, status = time.perf_counter(), 500

        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.max_body_bytes:
            await self._too_large(scope, send, request_id)
            clear_ids()
            return

        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge()
            return message

        async def send_with_ids(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_ids)
        except _BodyTooLarge:
            status = 413
            await self._too_large(scope, send, request_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics.HTTP_LATENCY.labels(self.service, scope["method"], route, str(status)).observe(elapsed)
            if scope["path"] not in QUIET_PATHS:
                log.info("request", method=scope["method"], path=scope["path"], status=status,
                         ms=round(elapsed * 1000, 2))
            clear_ids()

    async def _too_large(self, scope, send, request_id: str) -> None:
        lang = i18n.language(_header(scope, b"accept-language"))
        title, detail = i18n.problem_text("payload_too_large", lang, {"limit": self.max_body_bytes})
        body = orjson.dumps({"type": "https://crm.example/problems/payload_too_large", "title": title,
                             "status": 413, "code": "payload_too_large", "detail": detail})
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode())]})
        await send({"type": "http.response.body", "body": body})
