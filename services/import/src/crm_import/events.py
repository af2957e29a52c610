"""Events the import service publishes: the job's life on `crm.imports` (M-5), and the chunks of
rows it asks the customers service to apply, as commands on `crm.customers.commands`."""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from crmkit.events import event

TOPIC = "crm.imports"
COMMANDS = "crm.customers.commands"


class ImportProgress(BaseModel):
    job_id: str
    user_id: uuid.UUID
    file_name: str | None = None
    status: str
    total_rows: int | None = None
    processed_rows: int
    created: int
    updated: int
    failed: int
    duplicates_in_file: int


@event("import.started", topic=TOPIC)
class ImportStarted(ImportProgress):
    """A worker began (or resumed) an import job."""


@event("import.progressed", topic=TOPIC)
class ImportProgressed(ImportProgress):
    """An import job's counters, at most every `progress_seconds` while it runs."""


class ImportOutcome(ImportProgress):
    """The interactions service turns `import.finished` and `import.failed` into the importer's
    notification (its `ImportOutcome`: user_id, job_id, file_name, rows_ok, rows_failed,
    result_file_url, error)."""
    rows_ok: int
    rows_failed: int
    result_file_url: str | None = None
    error: str | None = None
    finished_at: datetime | None = None


@event("import.finished", topic=TOPIC)
class ImportFinished(ImportOutcome):
    """An import job completed: every row of the file has its outcome."""


@event("import.failed", topic=TOPIC)
class ImportFailed(ImportOutcome):
    """An import job could not go on (an unreadable file, say); rows already applied stay."""


@event("import.cancelled", topic=TOPIC)
class ImportCancelled(ImportOutcome):
    """An import job was cancelled; it stopped at a chunk boundary, `processed_rows` were applied."""


class ChunkRow(BaseModel):
    row: int
    values: list[str | None]


class NewGroup(BaseModel):
    name: str
    description: str | None = None


@event("customers.import_chunk", topic=COMMANDS)
class ImportChunk(BaseModel):
    """A chunk of an import job's rows for the customers service to validate and apply in one
    transaction; answered by `customers.import_chunk_applied` on `crm.customers`."""
    job_id: uuid.UUID
    chunk_no: int
    dry_run: bool = False
    importer_id: uuid.UUID
    owner_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    new_group: NewGroup | None = None
    lead_package_id: uuid.UUID | None = None
    fields: list[str]
    rows: list[ChunkRow]
