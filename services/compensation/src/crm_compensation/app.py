from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI

from crmkit.service import ServiceSpec, create_service_app

from crm_compensation import events, messages  # noqa: F401  (registers events and problem texts)
from crm_compensation.api import packages, reasons, reports, requests, review, rules
from crm_compensation.consumers import CONSUMERS
from crm_compensation.settings import CompensationSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

# packages, leads, requests and reasons; then review and decisions, auto rules and settings, reports
ROUTERS: list[APIRouter] = [
    packages.router,
    requests.router,
    reasons.router,
    review.router, rules.router, reports.router,
]


def create_app(settings: CompensationSettings | None = None) -> FastAPI:
    settings = settings or CompensationSettings()
    return create_service_app(ServiceSpec(
        name="compensation", title="CRM compensation", settings=settings, migrations_dir=MIGRATIONS,
        routers=ROUTERS, consumers=CONSUMERS,
    ))
