"""{event type: handler} for the topics this service subscribes to, each with the model of what it reads."""
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from pydantic import BaseModel

from crmkit.consumer import typed
from crmkit.directory import IDENTITY_TOPIC
from crmkit.events import Envelope
from crmkit.service import ConsumerSpec

from crm_assignment.consumed_events import (
                                            ContactRecorded,
                                            CustomerGone,
                                            CustomerRefState,
                                            CustomersGone,
                                            CustomersImported,
                                            CustomersOwnersMoved,
                                            DeactivatedUser,
)
from crm_assignment.handlers import customer_refs, roster, sla

TypedHandler = Callable[[asyncpg.Connection, Envelope, Any], Awaitable[None]]

# {event type: (what the service reads of it, the handler)}
CUSTOMER_EVENTS: dict[str, tuple[type[BaseModel], TypedHandler]] = {
    "customer.created": (CustomerRefState, customer_refs.on_customer_state),
    "customer.updated": (CustomerRefState, customer_refs.on_customer_state),
    "customer.restored": (CustomerRefState, customer_refs.on_customer_state),
    "customer.deleted": (CustomerGone, customer_refs.on_customer_deleted),
    "customers.bulk_deleted": (CustomersGone, customer_refs.on_bulk_deleted),
    "customer.purged": (CustomerGone, customer_refs.on_customer_purged),
    "customers.bulk_purged": (CustomersGone, customer_refs.on_bulk_purged),
    "customers.bulk_owner_changed": (CustomersOwnersMoved, customer_refs.on_bulk_owner_changed),
    "customers.bulk_imported": (CustomersImported, customer_refs.on_bulk_imported),
}
CUSTOMER_HANDLERS = {type_: typed(model, handle) for type_, (model, handle) in CUSTOMER_EVENTS.items()}

# besides crmkit's user directory (its own consumer): a deactivated rep's open offers return to the pool
IDENTITY_HANDLERS = {"user.deactivated": typed(DeactivatedUser, roster.on_user_deactivated)}

# a lead's first contact by its holder stops its SLA clock
CONTACT_HANDLERS = {"interaction.recorded": typed(ContactRecorded, sla.on_interaction_recorded)}

CONSUMERS = [ConsumerSpec(name="customers", topics=["crm.customers"], handlers=CUSTOMER_HANDLERS),
             ConsumerSpec(name="deactivations", topics=[IDENTITY_TOPIC], handlers=IDENTITY_HANDLERS),
             ConsumerSpec(name="contacts", topics=["crm.interactions"], handlers=CONTACT_HANDLERS)]
