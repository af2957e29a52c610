"""Events the customers service publishes on `crm.customers`."""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from crmkit.events import event

TOPIC = "crm.customers"


class CustomerState(BaseModel):
    id: uuid.UUID
    name: str
    phone: str
    email: str | None = None
    lifecycle: str
    party_type: str
    status: str
    owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    owner_unit_path: str | None = None
    version: int
    created_at: datetime
    updated_at: datetime


@event("customer.created", topic=TOPIC)
class CustomerCreated(CustomerState):
    """A customer (or lead) was created; carries its full state."""
