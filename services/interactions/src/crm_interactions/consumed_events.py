"""What this service reads of the events it consumes: one pydantic model per shape, validated once
by `crmkit.consumer.typed` before a handler runs. Field names and types as the producers publish
them (crm_customers.events, crm_assignment.events); optional where the producer's field is optional
or where the handler tolerates its absence; everything else of the event is ignored, so producers
may add fields. Compensation and import events are designed ahead of their producers: the models
hold what the handlers read today, ids as plain text (their producers do not exist yet)."""
from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

# --- crm.customers -------------------------------------------------------------------------------


class CustomerSeen(BaseModel):
    """`customer.created` / `customer.updated` / `customer.restored`: who may see the customer."""
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None = None
    owner_unit_path: str | None = None
    holder_id: uuid.UUID | None = None
    viewer_ids: list[uuid.UUID] = []
    version: int
    changed: list[str] = []  # customer.updated only


class StatusChanged(BaseModel):
    """`customer.status_changed` (C-5)."""
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    note: str | None = None


class LabelsChanged(BaseModel):
    """`customer.labels_changed`."""
    added: list[str] = []
    removed: list[str] = []


class OwnerChanged(BaseModel):
    """`customer.owner_changed`; `reason` names the assignment event that caused it."""
    from_owner_id: uuid.UUID | None = None
    to_owner_id: uuid.UUID | None = None
    from_holder_id: uuid.UUID | None = None
    to_holder_id: uuid.UUID | None = None
    reason: str | None = None
    assignment_id: uuid.UUID | None = None


class CustomerDeleted(BaseModel):
    """`customer.deleted`."""
    customer_id: uuid.UUID
    version: int


class CustomerPurged(BaseModel):
    """`customer.purged`."""
    customer_id: uuid.UUID


class Batch(BaseModel):
    """A chunk of a bulk action: `customers.bulk_deleted`, `customers.bulk_purged` (no versions)."""
    batch_id: uuid.UUID
    ids: list[uuid.UUID]
    versions: list[int] = []


class BulkUpdated(Batch):
    """`customers.bulk_updated`: labels, groups or status of `ids` (parallel lists)."""
    action: str  # add_labels, remove_labels, set_status make entries; any other none
    labels: list[str] | None = None
    removed_labels: list[list[str]] | None = None
    status: str | None = None
    note: str | None = None
    from_statuses: list[str | None] | None = None


class BulkImported(Batch):
    """`customers.bulk_imported`, one per chunk of an import job (designed ahead of the import
    issue): parallel lists, one position per customer; `rows` are the file's row numbers."""
    job_id: str | None = None
    rows: list[int]
    actions: list[str]  # "created" | "updated"
    owner_ids: list[uuid.UUID | None]
    owner_unit_paths: list[str | None]


class BulkOwnerChanged(Batch):
    """`customers.bulk_owner_changed`: the batch form of `customer.owner_changed` (parallel lists)."""
    reason: str | None = None
    assignment_id: uuid.UUID | None = None
    from_owner_ids: list[uuid.UUID | None]
    to_owner_ids: list[uuid.UUID | None]
    owner_unit_paths: list[str | None]
    from_holder_ids: list[uuid.UUID | None]
    to_holder_ids: list[uuid.UUID | None]
    cause: str | None = None  # why, when said: a recall's reason (`sla_missed`, A-6)


# --- crm.assignment --------------------------------------------------------------------------------


class AssignmentNotice(BaseModel):
    """`assignment.*` as a notification: `assignee_id` or `assigned_by` is the recipient."""
    assignment_id: uuid.UUID
    job_id: str | None = None  # passed through as published
    assignee_id: uuid.UUID | None = None
    assigned_by: uuid.UUID | None = None
    customer_ids: list[uuid.UUID]
    expires_at: str | None = None  # assignment.offered
    reason: str | None = None  # assignment.declined, added later
    recall_at: str | None = None  # assignment.sla_warning


# --- crm.compensation (designed ahead) -------------------------------------------------------------


class CompensationRequest(BaseModel):
    """`compensation.request_created` / `compensation.request_decided` (P-5)."""
    request_id: str | None = None
    customer_id: uuid.UUID | None = None
    package_id: str | None = None
    batch_id: str | None = None
    reason_code: str | None = None
    decision: str | None = None
    note: str | None = None


class CompensationDecision(CompensationRequest):
    """`compensation.request_decided` as a notification to the customer's owner."""
    owner_id: uuid.UUID | None = None


class CompensationBatchCompleted(BaseModel):
    """`compensation.batch_completed`."""
    owner_id: uuid.UUID
    batch_id: str | None = None
    package_id: str | None = None
    approved: int | None = None
    rejected: int | None = None


# --- crm.imports (designed ahead) ------------------------------------------------------------------


class ImportOutcome(BaseModel):
    """`import.finished` / `import.failed` (M-5)."""
    user_id: uuid.UUID
    job_id: str
    file_name: str | None = None
    rows_ok: int | None = None
    rows_failed: int | None = None
    result_file_url: str | None = None
    error: str | None = None  # import.failed
