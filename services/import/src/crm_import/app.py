from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crmkit.service import ServiceSpec, create_service_app

from crm_import import events, messages  # noqa: F401  (registers events and texts)
from crm_import.api import imports
from crm_import.consumers import CONSUMERS
from crm_import.handlers import retention, worker
from crm_import.settings import ImportSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: ImportSettings | None = None) -> FastAPI:
    settings = settings or ImportSettings()
    return create_service_app(ServiceSpec(
        name="import", title="CRM import", settings=settings, migrations_dir=MIGRATIONS,
        routers=[imports.router], consumers=CONSUMERS, background=[worker.import_worker, retention.retention_sweeper],
    ))
