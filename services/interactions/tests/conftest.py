from pathlib import Path

import httpx
import pytest
from interactions_support import running_app

from crmkit.testing import temp_pool

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        yield p


@pytest.fixture
async def app(tmp_path):
    """The service over a throwaway database (files under tmp_path), trusting the support key."""
    async with running_app(attachment_dir=str(tmp_path / "files")) as application:
        yield application


@pytest.fixture
async def api(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        yield client
