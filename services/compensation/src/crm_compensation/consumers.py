"""{event type: handler} for the topics this service subscribes to, each with the model of what it reads."""
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from pydantic import BaseModel

from crmkit.consumer import Handler, typed
from crmkit.directory import IDENTITY_TOPIC
from crmkit.events import Envelope
from crmkit.service import ConsumerSpec

from crm_compensation.consumed_events import (
    CallLogged,
    CustomerGone,
    CustomerRefState,
    CustomersGone,
    CustomersImported,
    CustomersOwnersMoved,
    InteractionRecorded,
    UnitState,
    UserUnit,
)
from crm_compensation.handlers import calls, customer_refs, identity

TypedHandler = Callable[[asyncpg.Connection, Envelope, Any], Awaitable[None]]


def _typed(events: dict[str, tuple[type[BaseModel], TypedHandler]]) -> dict[str, Handler]:
    return {type_: typed(model, handle) for type_, (model, handle) in events.items()}


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
INTERACTION_EVENTS: dict[str, tuple[type[BaseModel], TypedHandler]] = {
    "call.logged": (CallLogged, calls.on_call_logged),
    "interaction.recorded": (InteractionRecorded, calls.on_interaction_recorded),
}
# besides crmkit's user directory (its own consumer): units, and the packages' paths when units or reps move
IDENTITY_EVENTS: dict[str, tuple[type[BaseModel], TypedHandler]] = {
    "unit.created": (UnitState, identity.on_unit),
    "unit.updated": (UnitState, identity.on_unit),
    "user.created": (UserUnit, identity.on_user),
    "user.updated": (UserUnit, identity.on_user),
}
CUSTOMER_HANDLERS = _typed(CUSTOMER_EVENTS)
INTERACTION_HANDLERS = _typed(INTERACTION_EVENTS)
IDENTITY_HANDLERS = _typed(IDENTITY_EVENTS)

CONSUMERS = [
    ConsumerSpec(name="customers", topics=["crm.customers"], handlers=CUSTOMER_HANDLERS),
    ConsumerSpec(name="interactions", topics=["crm.interactions"], handlers=INTERACTION_HANDLERS),
    ConsumerSpec(name="units", topics=[IDENTITY_TOPIC], handlers=IDENTITY_HANDLERS),
]
