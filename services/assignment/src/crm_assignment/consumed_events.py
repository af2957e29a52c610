"""What the assignment service reads of the events it consumes: its own models of them, validated
once when consumed (extra fields ignored, so producers may add fields). A module of its own, beside
consumers.py, because the handlers take these types and consumers.py imports the handlers."""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class ProvinceRef(BaseModel):
    code: int


class CustomerRefState(BaseModel):
    """customer.created / updated / restored: who owns and holds the customer, its province (for
    territories), at which version."""
    id: uuid.UUID
    owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    owner_unit_path: str | None = None
    holder_id: uuid.UUID | None = None
    province: ProvinceRef | None = None
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
    owner_unit_ids: list[uuid.UUID | None]
    owner_unit_paths: list[str | None]
    to_holder_ids: list[uuid.UUID | None]
    versions: list[int]


class CustomersImported(BaseModel):
    """customers.bulk_imported (designed ahead of the import service): parallel lists; no holder,
    and `owner_unit_ids` may be absent; `province_codes` absent from events published before
    territories (issue 13): the provinces then stay as they were."""
    ids: list[uuid.UUID]
    owner_ids: list[uuid.UUID | None]
    owner_unit_ids: list[uuid.UUID | None] | None = None
    owner_unit_paths: list[str | None]
    versions: list[int]
    province_codes: list[int | None] | None = None


class DeactivatedUser(BaseModel):
    """user.deactivated (the gateway's full user state): who."""
    id: uuid.UUID


class ContactRecorded(BaseModel):
    """interaction.recorded (the interactions service's timeline entry): what kind of entry, on
    which customer, by whom, when — a call, note, comment or care ticket of a lead's holder is its
    first contact (A-6)."""
    customer_id: uuid.UUID
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
