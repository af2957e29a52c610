"""The assignment service starts against the real PostgreSQL and Kafka with everything a service has."""
from pathlib import Path

from crmkit.testing import check_service_skeleton

from crm_assignment.app import MIGRATIONS, create_app
from crm_assignment.settings import AssignmentSettings


async def test_service_skeleton(tmp_path: Path):
    await check_service_skeleton(create_app, AssignmentSettings, MIGRATIONS, tmp_path / "keys")
