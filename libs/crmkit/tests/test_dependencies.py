"""Routes declare the pool and the settings they use (crmkit.dependencies) instead of reaching into
request.app.state."""
from __future__ import annotations

import httpx
from fastapi import FastAPI

from crmkit.dependencies import DbPool, Settings


async def test_a_route_receives_the_apps_pool_and_settings():
    app = FastAPI()
    app.state.pool, app.state.settings = object(), object()
    seen = []

    @app.get("/probe")
    async def probe(pool: DbPool, settings: Settings) -> dict[str, bool]:
        seen.append((pool, settings))
        return {"ok": True}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/probe")).status_code == 200
    assert seen == [(app.state.pool, app.state.settings)]
