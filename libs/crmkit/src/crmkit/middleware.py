"""Pure ASGI middleware: request/correlation ids, one log line and one histogram sample per
request, and a body-size limit (Content-Length and streamed bodies alike)."""
from __future__ import annotations

import time
import uuid

import orjson
from starlette.exceptions import HTTPException

from crmkit import i18n, metrics
from crmkit.logging import bind_ids, clear_ids, get_logger

log = get_logger("http")
QUIET_PATHS = {"/healthz", "/readyz", "/metrics"}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class _BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit. An HTTPException, so that
    FastAPI lets it through instead of turning it into a 400 "error parsing the body"."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


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
        received, too_large, response_started = 0, False, False

        async def limited_receive():
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    too_large = True
                    raise _BodyTooLarge()
            return message

        async def send_with_ids(message):
            nonlocal status, response_started
            if too_large:  # whatever the app answers, the answer is our 413
                return
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                message = {**message, "headers": [*message.get("headers", []),
                                                   (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            length = _header(scope, b"content-length")
            if length and length.strip().isdigit() and int(length) > self.max_body_bytes:
                too_large = True
            else:
                try:
                    await self.app(scope, limited_receive, send_with_ids)
                except _BodyTooLarge:
                    pass
                except Exception:
                    if not too_large:
                        raise
            if too_large:
                status = 413
                if not response_started:
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
                             "status": 413, "code": "payload_too_large", "detail": detail,
                             "instance": scope.get("path", "")})
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
            (b"content-language", lang.encode()), (b"x-request-id", request_id.encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
