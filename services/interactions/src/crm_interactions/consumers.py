"""{event type: handler} for the topics this service subscribes to."""
from crmkit.service import ConsumerSpec
from crm_interactions.handlers import customer_batches, notification_sources, timeline

CONSUMERS = [
    ConsumerSpec(name="customers", topics=["crm.customers"], handlers={
        "customer.created": timeline.on_customer_created,
        "customer.updated": timeline.on_customer_updated,
        "customer.status_changed": timeline.on_customer_status_changed,
        "customers.bulk_updated": customer_batches.on_bulk_updated,
        "customers.bulk_imported": customer_batches.on_bulk_imported,
        "customers.bulk_deleted": customer_batches.on_bulk_deleted,
        "customer.deleted": customer_batches.on_customer_deleted,
        "customer.restored": customer_batches.on_customer_restored,
        "customer.purged": customer_batches.on_customer_purged,
        "customers.bulk_purged": customer_batches.on_bulk_purged,
    }),
    # I-9 notification sources; the mapping is documented in handlers/notification_sources.py
    ConsumerSpec(name="notifications-assignment", topics=["crm.assignment"], handlers=notification_sources.ASSIGNMENT),
    ConsumerSpec(name="notifications-compensation", topics=["crm.compensation"],
                 handlers=notification_sources.COMPENSATION),
    ConsumerSpec(name="notifications-imports", topics=["crm.imports"], handlers=notification_sources.IMPORTS),
]
