"""Events the interactions service publishes on `crm.interactions`."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from crmkit.events import event

TOPIC = "crm.interactions"


@event("interaction.recorded", topic=TOPIC)
class InteractionRecorded(BaseModel):
    """A timeline entry was added to a customer's history."""
    id: uuid.UUID
    customer_id: uuid.UUID
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
    note: str | None = None
    data: dict[str, Any] = {}


class RecordedEntry(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID


@event("interactions.bulk_recorded", topic=TOPIC)
class InteractionsBulkRecorded(BaseModel):
    """Timeline entries written from one batch event (e.g. a bulk status change): one event per
    batch chunk, listing every entry, instead of one `interaction.recorded` per customer."""
    type: str
    occurred_at: datetime
    actor_id: uuid.UUID | None = None
    note: str | None = None
    data: dict[str, Any] = {}
    entries: list[RecordedEntry]
