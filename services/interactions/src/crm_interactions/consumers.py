"""{event type: handler} for the topics this service subscribes to."""
from crmkit.service import ConsumerSpec
from crm_interactions.handlers import timeline

CONSUMERS = [
    ConsumerSpec(name="customers", topics=["crm.customers"], handlers={
        "customer.created": timeline.on_customer_created,
        "customer.updated": timeline.on_customer_updated,
        "customer.status_changed": timeline.on_customer_status_changed,
    }),
]
