"""The models of consumed events accept exactly what the producers publish: each producer's own
event, dumped as it goes on the wire, validates into the model this service reads it with (a
drift between producer and consumer fails here, not as dead letters)."""
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from crm_assignment import events as assignment
from crm_customers import events as customers
from crm_interactions import consumed_events as consumed

NOW = datetime.now(UTC)
IDS = [uuid.uuid4(), uuid.uuid4()]
STATE = {"id": uuid.uuid4(), "name": "Nguyễn Văn A", "phone": "0901234567", "party_type": "individual",
         "lifecycle": "lead", "status": "new", "owner_id": uuid.uuid4(), "owner_unit_path": "/a/",
         "viewer_ids": [uuid.uuid4()], "version": 3, "created_at": NOW, "updated_at": NOW}
BATCH = {"batch_id": uuid.uuid4(), "chunk": 1, "last": True, "ids": IDS, "versions": [2, 5]}
ASSIGNMENT = {"assignment_id": uuid.uuid4(), "job_id": uuid.uuid4(), "assignee_id": uuid.uuid4(),
              "assigned_by": uuid.uuid4(), "customer_ids": IDS, "count": 2}

PUBLISHED: list[tuple[BaseModel, type[BaseModel]]] = [
    (customers.CustomerCreated(**STATE), consumed.CustomerSeen),
    (customers.CustomerUpdated(**STATE, changed=["email"]), consumed.CustomerSeen),
    (customers.CustomerRestored(**STATE), consumed.CustomerSeen),
    (customers.CustomerStatusChanged(customer_id=IDS[0], from_="new", to="potential", note="gọi lại", version=2),
     consumed.StatusChanged),
    (customers.CustomerLabelsChanged(customer_id=IDS[0], added=["hot"], removed=["cold"], labels=["hot"], version=2),
     consumed.LabelsChanged),
    (customers.CustomerOwnerChanged(customer_id=IDS[0], from_owner_id=uuid.uuid4(), to_owner_id=uuid.uuid4(),
                                    reason="assignment.recalled", assignment_id=uuid.uuid4(), version=4),
     consumed.OwnerChanged),
    (customers.CustomerDeleted(customer_id=IDS[0], deleted_at=NOW, version=6), consumed.CustomerDeleted),
    (customers.CustomerPurged(customer_id=IDS[0], purged_at=NOW, version=7), consumed.CustomerPurged),
    (customers.CustomersBulkUpdated(**BATCH, action="set_status", status="potential", note="n",
                                    from_statuses=["new", "new"]), consumed.BulkUpdated),
    (customers.CustomersBulkUpdated(**BATCH, action="add_labels", labels=["hot"], removed_labels=[["cold"], []]),
     consumed.BulkUpdated),
    (customers.CustomersBulkOwnerChanged(**BATCH, reason="assignment.accepted", assignment_id=uuid.uuid4(),
                                         from_owner_ids=[None, uuid.uuid4()], to_owner_ids=IDS,
                                         owner_unit_ids=[None, None], owner_unit_paths=["/a/", None],
                                         from_holder_ids=[None, None], to_holder_ids=IDS),
     consumed.BulkOwnerChanged),
    (customers.CustomersBulkDeleted(**BATCH, deleted_at=NOW), consumed.Batch),
    (customers.CustomersBulkPurged(batch_id=uuid.uuid4(), chunk=1, last=True, ids=IDS, purged_at=NOW), consumed.Batch),
    (assignment.AssignmentOffered(**ASSIGNMENT, expires_at=NOW), consumed.AssignmentNotice),
    (assignment.AssignmentDirect(**ASSIGNMENT), consumed.AssignmentNotice),
    (assignment.AssignmentDeclined(**ASSIGNMENT, reason="bận"), consumed.AssignmentNotice),
    (assignment.AssignmentDeclined(**ASSIGNMENT), consumed.AssignmentNotice),
    (assignment.AssignmentExpired(**ASSIGNMENT), consumed.AssignmentNotice),
    (assignment.AssignmentRecalled(**ASSIGNMENT, previous_owner_ids={str(IDS[0]): None}), consumed.AssignmentNotice),
    (assignment.AssignmentRecalled(**ASSIGNMENT, previous_owner_ids={str(IDS[0]): None}, reason="sla_missed"),
     consumed.AssignmentNotice),
    (assignment.AssignmentSlaWarning(**ASSIGNMENT, recall_at=NOW), consumed.AssignmentNotice),
    (customers.CustomersBulkOwnerChanged(**BATCH, reason="assignment.recalled", assignment_id=uuid.uuid4(),
                                         from_owner_ids=IDS, to_owner_ids=[None, None],
                                         owner_unit_ids=[None, None], owner_unit_paths=["/a/", None],
                                         from_holder_ids=IDS, to_holder_ids=[None, None], cause="sla_missed"),
     consumed.BulkOwnerChanged),
]


@pytest.mark.parametrize("event,model", PUBLISHED, ids=[f"{type(e).__name__}-{i}" for i, (e, _) in enumerate(PUBLISHED)])
def test_the_consumed_model_reads_what_the_producer_publishes(event, model):
    wire = event.model_dump(mode="json")
    read = model.model_validate(wire)
    for name, value in read.model_dump(mode="json", by_alias=True).items():
        if name in wire:  # every field read has the producer's value; the rest are the model's defaults
            assert value == wire[name], name
