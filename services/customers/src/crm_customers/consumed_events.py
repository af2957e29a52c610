"""What the customers service reads of the foreign events it consumes (`crm_customers.consumers`),
validated once by `crmkit.consumer.typed`; fields the producers add are ignored. The producers'
own models: `crm_interactions.events`, `crm_assignment.events`."""
from __future__ import annotations

import uuid

from pydantic import BaseModel

# crm.interactions → the counts on a customer's detail (`handlers.read_models`)


class InteractionRecorded(BaseModel):
    """`interaction.recorded`: one more timeline entry for `customer_id` (else the envelope's subject)."""
    customer_id: uuid.UUID | None = None


class InteractionsBulkRecorded(BaseModel):
    """`interactions.bulk_recorded`: one more timeline entry per listed customer (one per entry)."""
    customer_ids: list[uuid.UUID]


class CountedItem(BaseModel):
    """An item counted on its customer: `care_ticket.created|deleted`, `support_ticket.deleted`,
    `attachment.added|deleted`, `comment.posted|deleted` (without `customer_id`: not counted)."""
    id: uuid.UUID
    customer_id: uuid.UUID | None = None


class SupportTicketCreated(CountedItem):
    """`support_ticket.created`: counted open while `status` is pending or processing."""
    status: str = "pending"


class SupportTicketStatusChanged(CountedItem):
    """`support_ticket.status_changed`: open or not any more, by the status it went `to`."""
    to: str


# crm.assignment → owner and holder (`handlers.assignments`)


class AssignmentEvent(BaseModel):
    """`assignment.offered|declined|expired`: the assignee and (a chunk of) the assignment's customers."""
    assignment_id: uuid.UUID
    assignee_id: uuid.UUID
    customer_ids: list[uuid.UUID]
    sequence: int | None = None  # the service-wide order; none from older versions (applied as before)


class Handover(AssignmentEvent):
    """`assignment.accepted|direct`: the assignee's unit, used while the user directory does not know them."""
    assignee_unit_id: uuid.UUID | None = None
    assignee_unit_path: str | None = None


class PreviousUnit(BaseModel):
    """The unit a previous owner had when the customer was assigned away from them."""
    unit_id: uuid.UUID | None = None
    unit_path: str | None = None


class AssignmentRecalled(AssignmentEvent):
    """`assignment.recalled`: each customer's previous owner and unit; the single `previous_owner_*`
    fields are those of recalls published by older versions of the assignment service (replays)."""
    previous_owner_ids: dict[uuid.UUID, uuid.UUID | None] = {}
    previous_owner_units: dict[uuid.UUID, PreviousUnit] = {}
    previous_owner_id: uuid.UUID | None = None
    previous_owner_unit_id: uuid.UUID | None = None
    previous_owner_unit_path: str | None = None
    reason: str | None = None  # why: `sla_missed` (the SLA sweeper, A-6); none for a manager's recall


# crm.customers.commands → imports (`handlers.imports`)


class ImportRow(BaseModel):
    row: int  # 1-based row number in the sheet
    values: list[str | None]  # parallel to the command's `fields`; empty cells are None


class NewImportGroup(BaseModel):
    """A group the importer asked to create for the job's customers."""
    name: str
    description: str | None = None


class ImportChunk(BaseModel):
    """`customers.import_chunk`, a command of the import service (`crm_import.events.ImportChunk`):
    rows of one job, already mapped to customer fields (built-in names or `attributes.<key>`),
    values as text; the customers go to `group_id`, or to the group `new_group` asks for."""
    job_id: uuid.UUID
    chunk_no: int
    dry_run: bool = False
    importer_id: uuid.UUID
    owner_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    new_group: NewImportGroup | None = None
    lead_package_id: uuid.UUID | None = None
    fields: list[str]
    rows: list[ImportRow]
