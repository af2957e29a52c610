"""{event type: handler} for the topics the import service subscribes to.

`crm.customers` → the answers to the chunks it sent (`handlers.answers`), and the configuration the
import needs (`handlers.configuration`: attribute definitions, statuses, labels and groups).
"""
from crmkit.consumer import typed
from crmkit.service import ConsumerSpec

from crm_import.consumed_events import AttributeDefinition, ChunkApplied, ConfigChanged
from crm_import.handlers import answers, configuration

CUSTOMERS_TOPIC = "crm.customers"

CONSUMERS = [
    ConsumerSpec(name="customers", topics=[CUSTOMERS_TOPIC], handlers={
        "customers.import_chunk_applied": typed(ChunkApplied, answers.on_chunk_applied),
        "customer_attribute.defined": typed(AttributeDefinition, configuration.on_attribute),
        "customer_attribute.changed": typed(AttributeDefinition, configuration.on_attribute),
        "customer_attribute.deleted": typed(AttributeDefinition, configuration.on_attribute),
        "customer_config.changed": typed(ConfigChanged, configuration.on_config_changed),
    }),
]
