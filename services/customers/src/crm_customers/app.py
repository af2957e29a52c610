from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from crmkit.service import ServiceSpec, create_service_app

from crm_customers import events, messages  # noqa: F401  (registers events and texts)
from crm_customers.api import (  # before customers: /customers/exports is no {id}
    attributes,
    bulk,
    customer_list,
    customers,
    deletion,
    exports,
    groups,
    internal,
    labels,
    referrals,
    statuses,
    views,
)
from crm_customers.consumers import consumers
from crm_customers.handlers import deletion as deletion_jobs
from crm_customers.handlers import export_worker
from crm_customers.settings import CustomersSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_app(settings: CustomersSettings | None = None) -> FastAPI:
    settings = settings or CustomersSettings()
    return create_service_app(ServiceSpec(
        name="customers", title="CRM customers", settings=settings, migrations_dir=MIGRATIONS,
        routers=[exports.router, bulk.router, deletion.router,
                 customer_list.router, customers.router, statuses.router, labels.router, groups.router,
                 attributes.router, views.router, referrals.router, internal.router],
        consumers=consumers(settings.import_consumers, settings.assignment_consumers),
        background=[export_worker.export_worker, deletion_jobs.purge_job],
    ))
