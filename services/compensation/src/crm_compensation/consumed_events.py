"""What the compensation service reads of the events it consumes: its own models of them,
validated once when consumed (extra fields ignored, so producers may add fields). A module of its
own, beside consumers.py, because the handlers take these types and consumers.py imports them."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

# crm.customers


class CustomerRefState(BaseModel):
    """customer.created / updated / restored: who owns the customer (who may ask for compensation
    of it as a lead), its name and phone (the evidence; the duplicate rule), at which version."""
    id: uuid.UUID
    name: str | None = None
    phone: str | None = None
    owner_id: uuid.UUID | None = None
    owner_unit_path: str | None = None
    version: int


class CustomerGone(BaseModel):
    """customer.deleted / customer.purged: which customer."""
    customer_id: uuid.UUID


class CustomersGone(BaseModel):
    """customers.bulk_deleted / customers.bulk_purged: which customers (one chunk)."""
    ids: list[uuid.UUID]


class CustomersOwnersMoved(BaseModel):
    """customers.bulk_owner_changed: parallel lists, one position per customer, after the change."""
    ids: list[uuid.UUID]
    to_owner_ids: list[uuid.UUID | None]
    owner_unit_paths: list[str | None]
    versions: list[int]


class CustomersImported(BaseModel):
    """customers.bulk_imported: parallel lists (names and phones since issue 12; empty from an
    older producer); `lead_package_id`: the import delivers leads of that package."""
    job_id: uuid.UUID | None = None
    ids: list[uuid.UUID]
    owner_ids: list[uuid.UUID | None]
    owner_unit_paths: list[str | None]
    versions: list[int]
    full_names: list[str | None] = []
    phones: list[str | None] = []
    lead_package_id: uuid.UUID | None = None


# crm.interactions


class CallLogged(BaseModel):
    """call.logged: one call result sheet (a call attempt with its outcome)."""
    id: uuid.UUID
    customer_id: uuid.UUID
    direction: str
    outcome: str | None = None
    occurred_at: datetime
    actor_id: uuid.UUID | None = None


class InteractionRecorded(BaseModel):
    """interaction.recorded: a timeline entry; a call entry without `data.call_id` is a call
    typed in by hand (no sheet, so no `call.logged`)."""
    id: uuid.UUID
    customer_id: uuid.UUID
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
    data: dict[str, Any] = {}


# crm.identity


class UnitState(BaseModel):
    """unit.created / unit.updated: a unit's path (a package owned by it follows a move)."""
    id: uuid.UUID
    path: str


class UserUnit(BaseModel):
    """user.created / user.updated / user.deactivated: the user's unit (a rep's packages follow them)."""
    id: uuid.UUID
    unit_id: uuid.UUID | None = None
    unit_path: str | None = None
