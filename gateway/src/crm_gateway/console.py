"""The web console (web/, built by Vite into web/dist) served at `/`.

Hashed assets (`/assets/index-3f9a1c.js`) never change under their name: a year's immutable cache.
Every other path outside the API answers `index.html` (the console's router reads the path, so a
customer's URL can be sent to a colleague), never cached, with the security headers of the console:
a Content-Security-Policy without inline scripts (Ant Design injects its styles: `style-src
'unsafe-inline'` is the documented price of CSS-in-JS), no framing, no sniffing, no referrer
leaving the site.
"""
from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.routing import Route
from starlette.types import Scope

from crmkit.logging import get_logger

log = get_logger(__name__)
ASSETS = "/assets"
IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
    "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# every path but the platform's own (the API, health, metrics, and FastAPI's usual documentation
# paths, which stay 404 so that nobody mistakes the console for them) and the assets'
CONSOLE_PATHS = re.compile(
    r"^/(?!(api|docs|redoc|assets)(/|$)|(healthz|readyz|metrics|openapi\.json)/?$)(?P<path>.*)$")


class ImmutableFiles(StaticFiles):
    """The hashed assets, a year in the browser's cache; the build's precompressed twin
    (`.br`, else `.gz`, made by web/scripts/compress.mjs) when the browser accepts it."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await self._compressed(path, scope) or await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def _compressed(self, path: str, scope: Scope) -> Response | None:
        accepted = Headers(scope=scope).get("accept-encoding", "")
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            if encoding not in accepted:
                continue
            full_path, stat = self.lookup_path(path + suffix)
            if stat is not None and not path.endswith((".br", ".gz")):
                media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return FileResponse(full_path, media_type=media_type, stat_result=stat,
                                    headers={"Content-Encoding": encoding, "Vary": "Accept-Encoding"})
        return None


def default_web_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "web" / "dist"


def mount(app: FastAPI, web_dir: Path) -> None:
    """Serve the build in `web_dir` (its `index.html` and `assets/`); without one, `/` stays a 404
    and the log says why."""
    index = web_dir / "index.html"
    if not index.is_file():
        log.warning("console_not_built", web_dir=str(web_dir), hint="npm ci && npm run build in web/")
        return
    if (web_dir / "assets").is_dir():
        app.mount(ASSETS, ImmutableFiles(directory=web_dir / "assets"), name="console-assets")
    app.router.routes.append(_index_route(web_dir))


def _index_route(web_dir: Path) -> Route:
    top_level = {path.name for path in web_dir.iterdir() if path.is_file() and path.name != "index.html"}

    async def console(request: Request) -> Response:
        path = request.path_params["path"]
        if path in top_level:  # favicon, robots.txt: files of web/public, under their own names
            return FileResponse(web_dir / path, headers={"Cache-Control": "public, max-age=3600"})
        return FileResponse(web_dir / "index.html", headers={"Cache-Control": "no-cache", **SECURITY_HEADERS})

    route = Route("/{path:path}", console, methods=["GET"], include_in_schema=False)
    # matched only outside the platform's paths, so that their 404 and 405 (Allow) stay theirs
    route.path_regex = CONSOLE_PATHS
    return route
