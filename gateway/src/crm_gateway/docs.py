"""One OpenAPI document for the whole API and one AsyncAPI document for all events.

Each service's `/openapi.json` and `/asyncapi.json` is fetched with a short timeout and the merged
document is cached for `docs_cache_seconds`; a service that is down is skipped and listed in
`x-unavailable-services`. Swagger UI is served from the `swagger-ui-bundle-v2` package's assets
(no CDN, works offline); `/api/docs/operations` is a plain HTML index of every operation.
"""
from __future__ import annotations

import asyncio
import copy
import html
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from crmkit import asyncapi, upstreams
from crmkit.logging import get_logger

from crm_gateway.proxy import service_for
from crm_gateway.settings import GatewaySettings

log = get_logger(__name__)
SCHEMA_REF = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ASSETS = "/api/docs/assets"
TITLE = "CRM API"
DESCRIPTION = (
    "The whole public API of the CRM platform, served by the gateway. Authenticate with "
    "`Authorization: Bearer <access token>` (POST /api/v1/auth/login) or `X-API-Key: <key>` for "
    "integrators. Errors are RFC 9457 problem+json with a stable `code`; `title`/`detail` are "
    "Vietnamese by default, English with `Accept-Language: en`."
)


class DocsAggregator:
    def __init__(self, *, settings: GatewaySettings, client: httpx.AsyncClient,
                 own_openapi: Callable[[], dict[str, Any]], clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.client = client
        self.own_openapi = own_openapi
        self.clock = clock
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._locks = {"openapi": asyncio.Lock(), "asyncapi": asyncio.Lock()}

    async def openapi(self) -> dict[str, Any]:
        return await self._cached("openapi", self._build_openapi)

    async def asyncapi(self) -> dict[str, Any]:
        return await self._cached("asyncapi", self._build_asyncapi)

    async def _cached(self, name: str, build: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        async with self._locks[name]:
            hit = self._cache.get(name)
            if hit and hit[0] > self.clock():
                return hit[1]
            document = await build()
            self._cache[name] = (self.clock() + self.settings.docs_cache_seconds, document)
            return document

    async def _fetch_all(self, document_path: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
        services = list(self.settings.service_urls().items())
        results = await asyncio.gather(*(self._fetch_any(urls, document_path) for _, urls in services))
        fetched = dict(zip((name for name, _ in services), results, strict=True))
        return ({name: doc for name, doc in fetched.items() if doc is not None},
                sorted(name for name, doc in fetched.items() if doc is None))

    async def _fetch_any(self, urls: str, document_path: str) -> dict[str, Any] | None:
        """From the first of the service's processes that answers."""
        for base in upstreams.parse(urls):
            if (document := await self._fetch(base + document_path)) is not None:
                return document
        return None

    async def _fetch(self, url: str) -> dict[str, Any] | None:
        try:
            response = await self.client.get(url, timeout=self.settings.docs_fetch_timeout)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.info("docs_fetch_failed", url=url, error=repr(exc))
            return None

    async def _build_openapi(self) -> dict[str, Any]:
        documents, unavailable = await self._fetch_all("/openapi.json")
        merged = _base_openapi(self.own_openapi())
        for service, document in sorted(documents.items()):
            merge_openapi(merged, service, document)
        merged["x-unavailable-services"] = unavailable
        return merged

    async def _build_asyncapi(self) -> dict[str, Any]:
        documents, unavailable = await self._fetch_all("/asyncapi.json")
        own = asyncapi.document("crm-gateway", service="gateway")
        merged = asyncapi.merge("CRM platform events", [own, *(documents[s] for s in sorted(documents))])
        merged["x-unavailable-services"] = unavailable
        return merged


def _base_openapi(own: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(own)
    merged["info"] = {**merged.get("info", {}), "title": TITLE, "description": DESCRIPTION}
    merged["servers"] = [{"url": "/"}]
    merged["paths"] = {p: item for p, item in merged.get("paths", {}).items() if p.startswith("/api/")}
    components = merged.setdefault("components", {})
    components.setdefault("schemas", {})
    components["securitySchemes"] = {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    merged["security"] = [{"bearerAuth": []}, {"apiKey": []}]
    return merged


def merge_openapi(merged: dict[str, Any], service: str, document: dict[str, Any]) -> None:
    """Add the service's public paths (those the route table sends to it) and their schemas.

    A schema name already taken by a different schema is renamed `<service>_<name>`."""
    schemas = merged["components"]["schemas"]
    theirs = document.get("components", {}).get("schemas", {})
    renames = {name: f"{service}_{name}" for name, schema in theirs.items()
               if name in schemas and schemas[name] != schema}
    document = _rename_refs(document, renames) if renames else document
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        schemas[renames.get(name, name)] = schema
    for path, item in document.get("paths", {}).items():
        if service_for(path) == service:
            merged["paths"][path] = _tagged(item, service)


def _tagged(item: dict[str, Any], service: str) -> dict[str, Any]:
    item = copy.deepcopy(item)
    for method in HTTP_METHODS:
        if method in item and not item[method].get("tags"):
            item[method]["tags"] = [service]
    return item


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
                name = value[len(SCHEMA_REF):]
                out[key] = SCHEMA_REF + renames.get(name, name)
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, renames) for v in node]
    return node


def operations_index(document: dict[str, Any]) -> str:
    rows = []
    for path, item in sorted(document.get("paths", {}).items()):
        for method in HTTP_METHODS:
            if method in item:
                op = item[method]
                rows.append(f"<tr><td>{', '.join(map(html.escape, op.get('tags', [])))}</td>"
                            f"<td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                            f"<td>{html.escape(op.get('summary', ''))}</td></tr>")
    down = ", ".join(document.get("x-unavailable-services", [])) or "none"
    return ("<!doctype html><html><head><meta charset='utf-8'><title>CRM API operations</title>"
            "<style>body{font-family:sans-serif;margin:2em}td{padding:2px 12px;border-bottom:1px solid #ddd}"
            "</style></head><body><h1>CRM API operations</h1>"
            f"<p>Full document: <a href='/api/openapi.json'>/api/openapi.json</a> · Swagger UI: "
            f"<a href='/api/docs'>/api/docs</a> · unavailable services: {html.escape(down)}</p>"
            "<table><tr><th>service</th><th>method</th><th>path</th><th>summary</th></tr>"
            + "".join(rows) + "</table></body></html>")


router = APIRouter(include_in_schema=False)


@router.get("/api/openapi.json")
async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(await request.app.state.docs.openapi())


@router.get("/api/asyncapi.json")
async def asyncapi_document(request: Request) -> JSONResponse:
    return JSONResponse(await request.app.state.docs.asyncapi())


@router.get("/api/docs")
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/api/openapi.json", title=f"{TITLE} — Swagger UI",
                               swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                               swagger_css_url=f"{ASSETS}/swagger-ui.css",
                               swagger_favicon_url=f"{ASSETS}/favicon-32x32.png")


@router.get("/api/docs/operations")
async def operations(request: Request) -> HTMLResponse:
    return HTMLResponse(operations_index(await request.app.state.docs.openapi()))


def swagger_assets_dir() -> str | None:
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return str(swagger_ui_path)
