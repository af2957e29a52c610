from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crmkit.service import ServiceSpec, create_service_app
from crm_interactions import events, messages  # noqa: F401  (registers events and problem texts)
from crm_interactions.api import care_tickets, support_tickets, timeline
from crm_interactions.consumers import CONSUMERS
from crm_interactions.settings import InteractionsSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: InteractionsSettings | None = None) -> FastAPI:
    settings = settings or InteractionsSettings()
    return create_service_app(ServiceSpec(
        name="interactions", title="CRM interactions", settings=settings, migrations_dir=MIGRATIONS,
        routers=[timeline.router, care_tickets.router, support_tickets.router], consumers=CONSUMERS,
    ))
