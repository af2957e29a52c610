from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI

from crmkit.background import poll_forever
from crmkit.customers_client import CustomersClient
from crmkit.service import ServiceSpec, create_service_app

from crm_assignment import events, messages  # noqa: F401  (registers events and problem texts)
from crm_assignment.api import assignments, reports, territories
from crm_assignment.consumers import CONSUMERS
from crm_assignment.handlers import assignments as handlers
from crm_assignment.handlers import sla, sla_sweep
from crm_assignment.settings import AssignmentSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def expire_offers(app: FastAPI) -> None:
    """Offers past their deadline expire (A-4); every replica sweeps, SKIP LOCKED shares the work."""
    await poll_forever(lambda: handlers.expire_due(app.state.pool), idle_seconds=app.state.settings.offer_sweep_seconds,
                       error_event="offer_expiry_failed")


async def sweep_sla(app: FastAPI) -> None:
    """Speed-to-lead (A-6): warn, then recall and redistribute leads not contacted in time; every
    replica sweeps, SKIP LOCKED shares the work and each lead is recalled once (handlers/sla_sweep)."""
    await poll_forever(lambda: sla_sweep.sweep(app.state.pool), idle_seconds=app.state.settings.sla_sweep_seconds,
                       error_event="sla_sweep_failed")


@contextlib.asynccontextmanager
async def customers_client(app: FastAPI) -> AsyncIterator[None]:
    """The pooled client of the customers service (crmkit.customers_client: a distribution by filter, read your own writes)."""
    settings = app.state.settings
    app.state.customers = CustomersClient(settings.customers_url, timeout_seconds=settings.customers_timeout_seconds)
    try:
        yield
    finally:
        await app.state.customers.aclose()


def create_app(settings: AssignmentSettings | None = None) -> FastAPI:
    settings = settings or AssignmentSettings()
    sla.configure(minute_seconds=settings.sla_minute_seconds)
    return create_service_app(ServiceSpec(
        name="assignment", title="CRM assignment", settings=settings, migrations_dir=MIGRATIONS,
        routers=[assignments.router, reports.router, territories.router], consumers=CONSUMERS,
        background=[expire_offers, sweep_sla], lifespan=customers_client,
    ))
