"""Identity events on `crm.identity`, published through the outbox.

Every event carries the full current state of its aggregate (not a diff), so that other services
can build their read models (roster, scopes, user directory) from any single event. Users in a
moved unit keep their `unit_id`; their new `unit_path` follows from the `unit.updated` event of
their unit (one per moved unit).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from crmkit.events import event

TOPIC = "crm.identity"


class UserState(BaseModel):
    id: uuid.UUID
    username: str
    full_name: str
    email: str | None
    phone: str | None
    unit_id: uuid.UUID
    unit_path: str
    roles: list[str]
    active: bool
    kind: str  # "user" or "service" (integrator service account)
    version: int
    created_at: datetime
    updated_at: datetime


class UnitState(BaseModel):
    id: uuid.UUID
    name: str
    kind: str
    parent_id: uuid.UUID | None
    path: str
    depth: int
    version: int
    created_at: datetime
    updated_at: datetime


@event("user.created", topic=TOPIC)
class UserCreated(UserState):
    """A user or a service account was created (full state)."""


@event("user.updated", topic=TOPIC)
class UserUpdated(UserState):
    """A user changed (full state); `changed` lists the fields that changed."""

    changed: list[str]


@event("user.deactivated", topic=TOPIC)
class UserDeactivated(UserState):
    """A user was deactivated (full state, `active` false): no login, not offered for assignment."""

    changed: list[str]
    deactivated_at: datetime | None


@event("unit.created", topic=TOPIC)
class UnitCreated(UnitState):
    """An organisation unit was created (full state)."""


@event("unit.updated", topic=TOPIC)
class UnitUpdated(UnitState):
    """A unit changed (full state incl. `path`); a moved subtree publishes one per moved unit."""

    changed: list[str]
