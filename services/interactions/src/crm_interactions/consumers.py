"""{event type: handler} for the topics this service subscribes to."""
from crmkit.service import ConsumerSpec
from crm_interactions.handlers import timeline

CONSUMERS = [
    ConsumerSpec(name="customers", topics=["crm.customers"], handlers={
        "customer.created": timeline.on_customer_created,
    }),
]
