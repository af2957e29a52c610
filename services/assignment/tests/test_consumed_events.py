"""The assignment service's models of the customers service's events accept exactly what the
producer publishes (catches drift between producer and consumer), and data they refuse is not
half-applied: the handler fails before touching the database (retried, then dead-lettered)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ValidationError

from crmkit.events import Envelope

from crm_assignment.consumed_events import ContactRecorded
from crm_assignment.consumers import CONTACT_HANDLERS, CUSTOMER_EVENTS, CUSTOMER_HANDLERS
from crm_customers import events as produced
from crm_interactions import events as interactions

NOW = datetime.now(UTC)
IDS = [uuid.uuid4(), uuid.uuid4()]
OWNER, UNIT = uuid.uuid4(), uuid.uuid4()
STATE = {"id": IDS[0], "name": "Nguyễn Văn A", "phone": "0912345678", "party_type": "individual",
         "lifecycle": "customer", "status": "new", "owner_id": OWNER, "owner_unit_id": UNIT,
         "owner_unit_path": "/r/b1/", "holder_id": None, "version": 3, "created_at": NOW, "updated_at": NOW}
BATCH = {"batch_id": uuid.uuid4(), "chunk": 1, "last": True, "ids": IDS, "versions": [4, 5]}

PRODUCED: dict[str, BaseModel] = {
    "customer.created": produced.CustomerCreated(**STATE),
    "customer.updated": produced.CustomerUpdated(**STATE, changed=["owner_id"]),
    "customer.restored": produced.CustomerRestored(**STATE),
    "customer.deleted": produced.CustomerDeleted(customer_id=IDS[0], deleted_at=NOW, deleted_by=OWNER, version=4),
    "customers.bulk_deleted": produced.CustomersBulkDeleted(**BATCH, deleted_at=NOW),
    "customer.purged": produced.CustomerPurged(customer_id=IDS[0], purged_at=NOW, version=5),
    "customers.bulk_purged": produced.CustomersBulkPurged(batch_id=uuid.uuid4(), chunk=1, last=True, ids=IDS,
                                                          purged_at=NOW),
    "customers.bulk_owner_changed": produced.CustomersBulkOwnerChanged(
        **BATCH, reason="assignment.accepted", assignment_id=uuid.uuid4(), from_owner_ids=[None, OWNER],
        to_owner_ids=[OWNER, None], owner_unit_ids=[UNIT, None], owner_unit_paths=["/r/b1/", None],
        from_holder_ids=[None, None], to_holder_ids=[OWNER, None]),
}
# customers.bulk_imported has no producer model yet (designed ahead of the import service)
NOT_YET_PRODUCED = {"customers.bulk_imported"}


def test_every_consumed_event_but_the_import_has_a_producer_model_here():
    assert set(CUSTOMER_EVENTS) == set(PRODUCED) | NOT_YET_PRODUCED


@pytest.mark.parametrize("type_", sorted(PRODUCED))
def test_the_consumed_model_reads_what_the_producer_publishes(type_):
    sent = PRODUCED[type_]
    assert sent.__event_type__ == type_  # type: ignore[attr-defined]
    model, _ = CUSTOMER_EVENTS[type_]
    read = model.model_validate(sent.model_dump(mode="json"))
    assert read.model_dump() == {field: getattr(sent, field) for field in model.model_fields}


async def test_data_the_model_refuses_fails_before_the_database_is_touched():
    data = {"ids": [str(IDS[0])], "to_owner_ids": [str(OWNER)], "owner_unit_ids": [None],
            "owner_unit_paths": ["/r/b1/"], "to_holder_ids": [None], "versions": ["not a version"]}
    envelope = Envelope(type="customers.bulk_owner_changed", source="customers", subject="s", data=data)
    with pytest.raises(ValidationError):  # a handler error: retried, then dead-lettered, nothing applied
        await CUSTOMER_HANDLERS["customers.bulk_owner_changed"](None, envelope)  # no connection touched


def test_the_contact_model_reads_the_interactions_services_timeline_entry():
    """interaction.recorded as published (crm_interactions.events) → what the SLA clock reads (A-6)."""
    sent = interactions.InteractionRecorded(id=uuid.uuid4(), customer_id=IDS[0], type="call_out", occurred_at=NOW,
                                            actor_id=OWNER, note="gọi", data={"call_id": str(uuid.uuid4())})
    assert set(CONTACT_HANDLERS) == {sent.__event_type__}  # type: ignore[attr-defined]
    read = ContactRecorded.model_validate(sent.model_dump(mode="json"))
    assert (read.customer_id, read.type, read.occurred_at, read.actor_id) == (IDS[0], "call_out", NOW, OWNER)
