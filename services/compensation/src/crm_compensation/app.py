from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crmkit.service import ServiceSpec, create_service_app

from crm_compensation.settings import CompensationSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: CompensationSettings | None = None) -> FastAPI:
    settings = settings or CompensationSettings()
    return create_service_app(ServiceSpec(
        name="compensation", title="CRM compensation", settings=settings, migrations_dir=MIGRATIONS,
    ))
