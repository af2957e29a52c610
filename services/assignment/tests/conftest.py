from pathlib import Path

import pytest

from crmkit.testing import temp_pool

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture
async def pool():
    async with temp_pool(MIGRATIONS) as p:
        yield p
