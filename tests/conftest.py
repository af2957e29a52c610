"""Fixtures of the end-to-end tests: an HTTP client of the gateway and a small organisation."""
from __future__ import annotations

import httpx
import pytest

from e2e_support import ADMIN_PASSWORD, ADMIN_USERNAME, GATEWAY, bearer, login, make_org


@pytest.fixture(scope="session")
async def client():
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
async def admin(client) -> dict:
    return bearer(await login(client, ADMIN_USERNAME, ADMIN_PASSWORD))


@pytest.fixture(scope="session")
async def org(client, admin) -> dict:
    """A fresh branch with a manager and two reps in one team, and a rep in another branch."""
    return await make_org(client, admin)
