from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI

from crmkit.logging import get_logger
from crmkit.service import ServiceSpec, create_service_app

from crm_assignment import events, messages  # noqa: F401  (registers events and problem texts)
from crm_assignment.api import assignments, reports, territories
from crm_assignment.consumers import CONSUMERS
from crm_assignment.customers import CustomersClient
from crm_assignment.handlers import assignments as handlers
from crm_assignment.handlers import sla, sla_sweep
from crm_assignment.settings import AssignmentSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
log = get_logger(__name__)


async def expire_offers(app: FastAPI) -> None:
    """Offers past their deadline expire (A-4); every replica sweeps, SKIP LOCKED shares the work."""
    while True:
        try:
            while await handlers.expire_due(app.state.pool):
                pass
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("offer_expiry_failed", error=repr(exc))
        await asyncio.sleep(app.state.settings.offer_sweep_seconds)


async def sweep_sla(app: FastAPI) -> None:
    """Speed-to-lead (A-6): warn, then recall and redistribute leads not contacted in time; every
    replica sweeps, SKIP LOCKED shares the work and each lead is recalled once (handlers/sla_sweep)."""
    while True:
        try:
            while await sla_sweep.sweep(app.state.pool):
                pass
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("sla_sweep_failed", error=repr(exc))
        await asyncio.sleep(app.state.settings.sla_sweep_seconds)


@contextlib.asynccontextmanager
async def customers_client(app: FastAPI) -> AsyncIterator[None]:
    """The pooled client of the customers service (a distribution by filter: customers.py)."""
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
