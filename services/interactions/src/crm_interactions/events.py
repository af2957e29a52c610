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
