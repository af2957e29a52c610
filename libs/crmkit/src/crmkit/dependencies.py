"""`Annotated` dependencies every route may declare, instead of reaching into `request.app.state`:
what the service factory's lifespan put there (the pool, the settings), typed, and visible in the
route's signature.

    async def read(customer_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> ...
"""
from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request


async def database_pool(request: Request) -> asyncpg.Pool:
    """The service's pool, opened by the lifespan of `crmkit.service.create_service_app`."""
    pool: asyncpg.Pool = request.app.state.pool
    return pool


async def service_settings(request: Request) -> Any:
    """The service's settings object (its own subclass of `crmkit.settings.ServiceSettings`)."""
    return request.app.state.settings


DbPool = Annotated[asyncpg.Pool, Depends(database_pool)]
Settings = Annotated[Any, Depends(service_settings)]
