from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crmkit.service import ServiceSpec, create_service_app
from crm_assignment.settings import AssignmentSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: AssignmentSettings | None = None) -> FastAPI:
    settings = settings or AssignmentSettings()
    return create_service_app(ServiceSpec(
        name="assignment", title="CRM assignment", settings=settings, migrations_dir=MIGRATIONS,
    ))
