"""Events the customers service publishes on `crm.customers`."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from crmkit.events import event

TOPIC = "crm.customers"


class ProvinceRef(BaseModel):
    code: int
    name: str


class CustomerState(BaseModel):
    id: uuid.UUID
    name: str
    phone: str
    email: str | None = None
    birthday: date | None = None
    province: ProvinceRef | None = None
    gender: str | None = None
    address: str | None = None
    source: str | None = None
    customer_type: str | None = None
    company_name: str | None = None
    tax_code: str | None = None
    position: str | None = None
    note: str | None = None
    party_type: str
    organization_size: str | None = None
    founding_date: date | None = None
    industry: str | None = None
    description: str | None = None
    contact_person: str | None = None
    lifecycle: str
    status: str
    labels: list[str] = []
    groups: list[uuid.UUID] = []
    attributes: dict[str, Any] = {}
    owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    owner_unit_path: str | None = None
    holder_id: uuid.UUID | None = None
    viewer_ids: list[uuid.UUID] = []
    referred_by: uuid.UUID | None = None
    version: int
    created_at: datetime
    updated_at: datetime


@event("customer.created", topic=TOPIC)
class CustomerCreated(CustomerState):
    """A customer (or lead) was created; carries its full state."""


@event("customer.updated", topic=TOPIC)
class CustomerUpdated(CustomerState):
    """Fields of a customer changed; `changed` names them, the rest is the new full state."""
    changed: list[str]


@event("customer.status_changed", topic=TOPIC)
class CustomerStatusChanged(BaseModel):
    """A customer's status was updated with a note (C-5)."""
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    customer_id: uuid.UUID
    from_: str = Field(alias="from")
    to: str
    note: str | None = None
    version: int
    owner_id: uuid.UUID | None = None
    owner_unit_path: str | None = None


@event("customer_config.changed", topic=TOPIC)
class CustomerConfigChanged(BaseModel):
    """A configured status, label or group was created, updated or deleted (C-4)."""
    kind: Literal["status", "label", "group"]
    action: Literal["created", "updated", "deleted"]
    item: dict[str, Any]
