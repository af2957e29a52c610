from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI

from crmkit.customers_client import CustomersClient
from crmkit.service import ServiceSpec, create_service_app

from crm_interactions import events, messages, storage  # noqa: F401  (events and messages register themselves)
from crm_interactions.api import (
    appointments,
    attachments,
    calendar,
    care_tickets,
    comments,
    notifications,
    support_tickets,
    timeline,
)
from crm_interactions.api import calls as calls_api
from crm_interactions.consumers import consumers
from crm_interactions.handlers import fresh_access
from crm_interactions.settings import InteractionsSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The customers service's client (read your own writes: handlers/fresh_access.py); the SSE hub
    opens its LISTEN connection on the first stream: close both with the app."""
    settings = app.state.settings
    customers = (CustomersClient(settings.customers_url, timeout_seconds=settings.customers_timeout_seconds)
                 if settings.customers_url else None)
    fresh_access.use(customers)
    try:
        yield
    finally:
        fresh_access.use(None)
        if customers is not None:
            await customers.aclose()
        hub = getattr(app.state, "notification_hub", None)
        if hub is not None:
            await hub.close()


def create_app(settings: InteractionsSettings | None = None) -> FastAPI:
    settings = settings or InteractionsSettings()
    return create_service_app(ServiceSpec(
        name="interactions", title="CRM interactions", settings=settings, migrations_dir=MIGRATIONS,
        routers=[timeline.router, care_tickets.router, support_tickets.router,
                 appointments.router, calendar.router, attachments.router, comments.router, notifications.router,
                 calls_api.router],
        consumers=consumers(storage.for_settings(settings)), lifespan=_lifespan,
    ))
