"""{event type: handler} for the topics this service subscribes to."""
from crmkit.service import ConsumerSpec
from crm_assignment.handlers import customer_refs

CONSUMERS = [ConsumerSpec(name="customers", topics=["crm.customers"], handlers=customer_refs.HANDLERS)]
