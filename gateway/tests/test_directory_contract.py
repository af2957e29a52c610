"""What the gateway publishes on `crm.identity` is what every service's user directory
(crmkit.directory) reads: a drift between the two fails here, not in a consumer's DLQ."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel

from crmkit import directory

from crm_gateway import events

NOW = datetime(2025, 1, 1, tzinfo=UTC)
UNIT = {"id": uuid.uuid4(), "name": "Chi nhánh Hà Nội", "kind": "branch", "parent_id": uuid.uuid4(),
        "path": "/r/b/", "depth": 1, "version": 2, "created_at": NOW, "updated_at": NOW}
USER = {"id": uuid.uuid4(), "username": "sale.hn1", "full_name": "Nguyễn Văn Bán", "email": None, "phone": None,
        "unit_id": UNIT["id"], "unit_path": "/r/b/", "roles": ["sales"], "active": True, "kind": "user",
        "version": 1, "created_at": NOW, "updated_at": NOW}
PUBLISHED: list[BaseModel] = [
    events.UserCreated(**USER),
    events.UserUpdated(**USER, changed=["full_name"]),
    events.UserDeactivated(**{**USER, "active": False}, changed=["active"], deactivated_at=NOW),
    events.UnitCreated(**UNIT),
    events.UnitUpdated(**UNIT, changed=["parent_id"]),
]


def test_the_directory_reads_every_identity_event_it_subscribes_to():
    published_types = {model.__event_type__ for model in PUBLISHED}  # type: ignore[attr-defined]
    assert set(directory.HANDLERS) == published_types


def test_what_the_gateway_publishes_validates_in_the_directory_models():
    for event in PUBLISHED:
        data = event.model_dump(mode="json")
        model = directory.DirectoryUnit if event.__event_type__.startswith("unit.") else directory.DirectoryUser  # type: ignore[attr-defined]
        read = model.model_validate(data)
        for field in model.model_fields:
            assert getattr(read, field) == getattr(event, field), field
