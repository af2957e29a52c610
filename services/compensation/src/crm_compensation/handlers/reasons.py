"""The reasons' catalogue (P-2): seeded, read by everyone, created and changed by admins."""
from __future__ import annotations

from typing import Any

import asyncpg

from crmkit.auth import Principal
from crmkit.domain_errors import Forbidden

from crm_compensation.store import reasons as store


def as_reason(row: asyncpg.Record, language: str) -> dict[str, Any]:
    reason = dict(row)
    reason["name"] = reason["name_en"] if language == "en" else reason["name_vi"]
    return reason


async def list_reasons(pool: asyncpg.Pool, *, language: str) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [as_reason(r, language) for r in await store.all_reasons(conn)]


async def put(pool: asyncpg.Pool, *, principal: Principal, code: str, name_vi: str, name_en: str,
              counts_calls: bool, active: bool, language: str) -> dict[str, Any]:
    if not principal.is_admin:
        raise Forbidden("not_admin")
    async with pool.acquire() as conn:
        row = await store.put(conn, code=code, name_vi=name_vi, name_en=name_en, counts_calls=counts_calls,
                              active=active)
    return as_reason(row, language)
