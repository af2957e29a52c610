"""Events the customers service publishes on `crm.customers`."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from crmkit.events import event

TOPIC = "crm.customers"


class ProvinceRef(BaseModel):
    code: int
    name: str


class CustomerState(BaseModel):
    id: uuid.UUID
    name: str
    phone: str
    email: str | None = None
    birthday: date | None = None
    province: ProvinceRef | None = None
    gender: str | None = None
    address: str | None = None
    source: str | None = None
    customer_type: str | None = None
    company_name: str | None = None
    tax_code: str | None = None
    position: str | None = None
    note: str | None = None
    party_type: str
    organization_size: str | None = None
    founding_date: date | None = None
    industry: str | None = None
    description: str | None = None
    contact_person: str | None = None
    lifecycle: str
    status: str
    labels: list[str] = []
    groups: list[uuid.UUID] = []
    attributes: dict[str, Any] = {}
    owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    owner_unit_path: str | None = None
    holder_id: uuid.UUID | None = None
    viewer_ids: list[uuid.UUID] = []
    referred_by: uuid.UUID | None = None
    version: int
    created_at: datetime
    updated_at: datetime


@event("customer.created", topic=TOPIC)
class CustomerCreated(CustomerState):
    """A customer (or lead) was created; carries its full state."""


@event("customer.updated", topic=TOPIC)
class CustomerUpdated(CustomerState):
    """Fields of a customer changed; `changed` names them, the rest is the new full state."""
    changed: list[str]


@event("customer.status_changed", topic=TOPIC)
class CustomerStatusChanged(BaseModel):
    """A customer's status was updated with a note (C-5)."""
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    customer_id: uuid.UUID
    from_: str = Field(alias="from")
    to: str
    note: str | None = None
    version: int
    owner_id: uuid.UUID | None = None
    owner_unit_path: str | None = None


@event("customer_config.changed", topic=TOPIC)
class CustomerConfigChanged(BaseModel):
    """A configured status, label or group was created, updated or deleted (C-4)."""
    kind: Literal["status", "label", "group"]
    action: Literal["created", "updated", "deleted"]
    item: dict[str, Any]


class AttributeOptionState(BaseModel):
    value: str
    label: str


class AttributeDefinitionState(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    type: str
    options: list[AttributeOptionState] = []
    required: bool = False
    display_order: int = 0
    filterable: bool = False
    created_at: datetime
    updated_at: datetime


@event("customer_attribute.defined", topic=TOPIC)
class CustomerAttributeDefined(AttributeDefinitionState):
    """An admin defined a customer attribute (C-3)."""


@event("customer_attribute.changed", topic=TOPIC)
class CustomerAttributeChanged(AttributeDefinitionState):
    """A customer attribute definition changed; `changed` names the fields, the rest is the new state."""
    changed: list[str]


@event("customer_attribute.deleted", topic=TOPIC)
class CustomerAttributeDeleted(AttributeDefinitionState):
    """A customer attribute definition was deleted. With `forced`, its values were removed from
    `values_removed` customers (their version was bumped; no customer.updated per customer)."""
    forced: bool = False
    values_removed: int = 0


@event("customer.owner_changed", topic=TOPIC)
class CustomerOwnerChanged(BaseModel):
    """The owner or holder of a customer changed through the assignment service (assign, accept,
    recall...). The full new state follows in the `customer.updated` of the same version."""
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    customer_id: uuid.UUID
    from_owner_id: uuid.UUID | None = None
    to_owner_id: uuid.UUID | None = None
    owner_unit_id: uuid.UUID | None = None
    owner_unit_path: str | None = None
    from_holder_id: uuid.UUID | None = None
    to_holder_id: uuid.UUID | None = None
    reason: str = Field(description="the assignment event that caused it, e.g. assignment.accepted")
    assignment_id: uuid.UUID | None = None
    version: int


@event("customer_view.saved", topic=TOPIC)
class CustomerViewSaved(BaseModel):
    """A user saved their filter and column configuration of the customer list (C-8)."""
    user_id: uuid.UUID
    view: dict[str, Any]


# Bulk actions, soft delete, restore, purge (C-10, E-3) and exports (C-13).
#
# Batch events: a bulk action publishes one event per chunk of at most 5,000 customers (never one
# per customer), each carrying every affected id. `ids`, `versions` (and `from_statuses` for
# set_status) are parallel lists: `versions[i]` is the version of `ids[i]` after the change, so a
# consumer that keeps its own copy (interactions' access model) can ignore an older change that
# arrives after a newer per-customer event (batch events are keyed by `batch_id`, not by customer,
# so their order relative to a customer's own events is not guaranteed). Labels, groups and status
# do not change who may see a customer; only `customers.bulk_deleted` / `customers.bulk_purged`
# do: their ids are deleted (resp. erased) customers. `chunk` counts from 1; `last` marks the final
# chunk of the batch (a batch whose every chunk changed nothing publishes nothing).


class _Batch(BaseModel):
    batch_id: uuid.UUID
    chunk: int = Field(ge=1)
    last: bool
    ids: list[uuid.UUID]
    versions: list[int]


@event("customers.bulk_updated", topic=TOPIC)
class CustomersBulkUpdated(_Batch):
    """A bulk action changed labels, groups or status of the customers `ids` (one chunk, ≤ 5,000).

    `action`: add_labels / remove_labels (`labels`), add_to_group / remove_from_group (`group_id`),
    set_status (`status`, `note`, and `from_statuses[i]` = the previous status of `ids[i]`, so that
    the interactions service can write `classified` entries from → to with the note)."""
    action: Literal["add_labels", "remove_labels", "add_to_group", "remove_from_group", "set_status"]
    labels: list[str] | None = None
    # add_labels of a label with a category (hot / warm / cold): `removed_labels[i]` = the labels
    # of that category `ids[i]` held and lost (a customer holds one label a category)
    removed_labels: list[list[str]] | None = None
    group_id: uuid.UUID | None = None
    status: str | None = None
    note: str | None = None
    from_statuses: list[str] | None = None


@event("customers.bulk_owner_changed", topic=TOPIC)
class CustomersBulkOwnerChanged(_Batch):
    """One assignment event (`reason`: assignment.offered / accepted / direct / declined / expired /
    recalled, `assignment_id`) moved the owner or holder of the customers `ids` (one chunk,
    ≤ 2,000: eight lists per customer must fit one Kafka record): the batch form of `customer.owner_changed` + `customer.updated`, so that a
    distribution of 100,000 leads is a few dozen events, not 200,000 (E-3). Parallel lists, one
    position per customer: `from_owner_ids`, `to_owner_ids`, `owner_unit_ids`, `owner_unit_paths`
    (after the change), `from_holder_ids`, `to_holder_ids`; `versions[i]` is `ids[i]`'s version
    after it. Viewers never change here."""
    reason: str
    assignment_id: uuid.UUID | None = None
    from_owner_ids: list[uuid.UUID | None]
    to_owner_ids: list[uuid.UUID | None]
    owner_unit_ids: list[uuid.UUID | None]
    owner_unit_paths: list[str | None]
    from_holder_ids: list[uuid.UUID | None]
    to_holder_ids: list[uuid.UUID | None]
    cause: str | None = Field(None, description="why the assignment event happened, when it says so: the recall's"
                                                " `reason` (`sla_missed`: the rep missed the speed-to-lead SLA)")


@event("customers.bulk_deleted", topic=TOPIC)
class CustomersBulkDeleted(_Batch):
    """Customers were soft-deleted (one chunk, ≤ 5,000): invisible everywhere from now on;
    restorable by an admin for 30 days (`customer.restored`), then purged."""
    deleted_at: datetime
    deleted_by: uuid.UUID | None = None


@event("customers.bulk_purged", topic=TOPIC)
class CustomersBulkPurged(BaseModel):
    """The automatic purge erased customers deleted more than 30 days ago (one chunk, ≤ 5,000 ids).
    Every service erases the personal data it keeps about `ids` (Decree 13/2023), as for
    `customer.purged`."""
    batch_id: uuid.UUID
    chunk: int = Field(ge=1)
    last: bool
    ids: list[uuid.UUID]
    purged_at: datetime


@event("customer.restored", topic=TOPIC)
class CustomerRestored(CustomerState):
    """An admin restored a soft-deleted customer (within 30 days); carries its full state."""


@event("customer.purged", topic=TOPIC)
class CustomerPurged(BaseModel):
    """An admin erased a customer's personal data (Decree 13/2023). Every service erases what it
    keeps about the customer (timeline, comments, attachments, tickets: personal data); only the
    id remains, as a tombstone."""
    customer_id: uuid.UUID
    purged_at: datetime
    version: int


@event("customer_export.finished", topic=TOPIC)
class CustomerExportFinished(BaseModel):
    """An export job finished (`done`: the file can be downloaded until `expires_at`; or `failed`);
    the notifications service tells `user_id`."""
    export_id: uuid.UUID
    user_id: uuid.UUID
    status: Literal["done", "failed"]
    format: Literal["csv", "xlsx"]
    row_count: int
    finished_at: datetime
    expires_at: datetime | None = None


@event("customer.labels_changed", topic=TOPIC)
class CustomerLabelsChanged(BaseModel):
    """The labels of one customer changed (an edit); bulk label changes are `customers.bulk_updated`."""
    customer_id: uuid.UUID
    added: list[str]
    removed: list[str]
    labels: list[str]
    version: int


@event("customer.deleted", topic=TOPIC)
class CustomerDeleted(BaseModel):
    """One customer was soft-deleted (`DELETE /customers/{id}`): invisible everywhere, restorable by
    an admin for 30 days, then purged. Bulk deletions are `customers.bulk_deleted`."""
    customer_id: uuid.UUID
    deleted_at: datetime
    deleted_by: uuid.UUID | None = None
    version: int


# Imports (M-1 … M-6): the customers service applies the import service's chunks
# (`customers.import_chunk` on crm.customers.commands, `handlers.imports`) and answers each.


@event("customers.bulk_imported", topic=TOPIC)
class CustomersBulkImported(_Batch):
    """Customers created or updated by one chunk of an import job (docs/architecture.md; the
    interactions service writes one `imported` timeline line per customer and keeps its access
    model from it, the assignment service its customer refs). Parallel lists, one position per
    customer: `rows` (the file's row numbers), `actions` (`created` | `updated`), `owner_ids`,
    `owner_unit_ids`, `owner_unit_paths` (after the write), `versions`. One import chunk (≤ 5,000
    rows) is published as ≤ 2,000 customers an event (Kafka's record limit), all with the chunk's
    `batch_id` (the command's id: the same on a redelivery) and `chunk`/`last` as every batch event.
    `lead_package_id`: the job's lead package, and `full_names` / `phones` (the names and phones
    after the write), for the compensation service's leads and evidence; `province_codes` (after
    the write), for the assignment service's territories."""
    job_id: uuid.UUID
    rows: list[int]
    actions: list[Literal["created", "updated"]]
    owner_ids: list[uuid.UUID | None]
    owner_unit_ids: list[uuid.UUID | None]
    owner_unit_paths: list[str | None]
    lead_package_id: uuid.UUID | None = None
    full_names: list[str] = []
    phones: list[str] = []
    province_codes: list[int | None] = []


class ImportFailure(BaseModel):
    row: int
    field: str | None = None
    code: str


@event("customers.import_chunk_applied", topic=TOPIC)
class CustomersImportChunkApplied(BaseModel):
    """The answer to one `customers.import_chunk` (subject: the job id): how many rows created and
    updated customers (with `dry_run`: would have), and each failing field of the failed rows
    (`row`, `field`, `code`; codes in `crm_customers.domain.import_rows`). Published for every
    chunk, also one whose every row failed. So that it fits one Kafka record, a chunk with more
    failures than ~0.8 MB of JSON lists every failing row's first failure and as many others as
    fit; `failures_omitted` counts the rest (0 normally)."""
    job_id: uuid.UUID
    chunk_no: int
    dry_run: bool
    created: int
    updated: int
    failures: list[ImportFailure]
    failures_omitted: int = 0
