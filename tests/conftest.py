"""Fixtures of the end-to-end tests: an HTTP client of the gateway and a small organisation."""
from __future__ import annotations

import os

import httpx
import pytest

from e2e_support import ADMIN_PASSWORD, ADMIN_USERNAME, GATEWAY, bearer, login, make_org


def client_address() -> str:
    """This test process's client address, sent as X-Forwarded-For (deploy/local/run-tests trusts
    127.0.0.1 as a proxy): the pytest-xdist workers of run-tests sign in from login buckets of their
    own (a burst of 10, then one every 2 s), not all from 127.0.0.1's, where they would queue behind
    each other's 429s. Without -n (PYTEST_XDIST_WORKER unset): an address no worker has."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ...
    n = int(worker.removeprefix("gw")) + 1 if worker.startswith("gw") else 0
    return f"10.98.{n // 250}.{n % 250 + 1}"


@pytest.fixture(scope="session")
async def client():
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=30, headers={"X-Forwarded-For": client_address()}) as c:
        yield c


@pytest.fixture(scope="session")
async def admin(client) -> dict:
    return bearer(await login(client, ADMIN_USERNAME, ADMIN_PASSWORD))


@pytest.fixture(scope="session")
async def org(client, admin) -> dict:
    """A fresh branch with a manager and two reps in one team, and a rep in another branch."""
    return await make_org(client, admin)
