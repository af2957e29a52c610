"""{event type: handler} for the topics this service subscribes to."""
from __future__ import annotations

import asyncpg

from crmkit.consumer import Handler, typed
from crmkit.events import Envelope
from crmkit.service import ConsumerSpec

from crm_interactions import storage
from crm_interactions.consumed_events import (
    Batch,
    BulkImported,
    BulkOwnerChanged,
    BulkUpdated,
    CompensationRequest,
    CustomerDeleted,
    CustomerSeen,
    LabelsChanged,
    OwnerChanged,
    StatusChanged,
)
from crm_interactions.handlers import customer_batches, erasure, notification_sources, timeline
from crm_interactions.storage import Storage


def both(*handlers: Handler) -> Handler:
    """One event, several effects, in the one inbox transaction."""
    async def handle(conn: asyncpg.Connection, envelope: Envelope) -> None:
        for handler in handlers:
            await handler(conn, envelope)
    return handle


def consumers(files: Storage) -> list[ConsumerSpec]:
    """The consumers, purging attachment files from `files`."""
    compensation_request = typed(CompensationRequest, timeline.on_compensation_request)
    return [
        ConsumerSpec(name="customers", topics=["crm.customers"], handlers={
            "customer.created": typed(CustomerSeen, timeline.on_customer_created),
            "customer.updated": typed(CustomerSeen, timeline.on_customer_updated),
            "customer.status_changed": typed(StatusChanged, timeline.on_customer_status_changed),
            "customer.labels_changed": typed(LabelsChanged, timeline.on_customer_labels_changed),
            "customer.owner_changed": typed(OwnerChanged, timeline.on_customer_owner_changed),
            "customers.bulk_updated": typed(BulkUpdated, customer_batches.on_bulk_updated),
            "customers.bulk_imported": typed(BulkImported, customer_batches.on_bulk_imported),
            "customers.bulk_owner_changed": typed(BulkOwnerChanged, customer_batches.on_bulk_owner_changed),
            "customers.bulk_deleted": typed(Batch, customer_batches.on_bulk_deleted),
            "customer.deleted": typed(CustomerDeleted, customer_batches.on_customer_deleted),
            "customer.restored": typed(CustomerSeen, customer_batches.on_customer_restored),
            "customer.purged": erasure.on_customer_purged(files),
            "customers.bulk_purged": erasure.on_bulk_purged(files),
        }),
        # I-9 notification sources; the mapping is documented in handlers/notification_sources.py
        ConsumerSpec(name="notifications-assignment", topics=["crm.assignment"],
                     handlers=notification_sources.ASSIGNMENT),
        ConsumerSpec(name="notifications-compensation", topics=["crm.compensation"], handlers={
            **notification_sources.COMPENSATION,
            # a decision is both a notification to the owner and a line of the customer's history
            "compensation.request_created": compensation_request,
            "compensation.request_decided": both(notification_sources.on_compensation_request_decided,
                                                 compensation_request),
        }),
        ConsumerSpec(name="notifications-imports", topics=["crm.imports"], handlers=notification_sources.IMPORTS),
    ]


# Wired with the storage the environment's settings name (tests, benchmarks); the app wires the
# storage of its own settings (app.create_app).
CONSUMERS = consumers(storage.current())
