import os

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url


def _storage_dir() -> str:
    return f"{os.environ.get('CRM_LOCAL_DIR', '.local/dev')}/imports"


class ImportSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_IMPORT_", extra="ignore", populate_by_name=True)

    service_name: str = "import"
    port: int = 8105
    database_url: str = default_database_url("crm_import")

    # Uploads and result files: CRM_IMPORT_STORAGE_DIR, default $CRM_LOCAL_DIR/imports.
    storage_dir: str = Field(default_factory=_storage_dir)
    # M-1: a million rows of 15 columns is 60-110 MB as xlsx (110 MB when every string is inline)
    max_upload_bytes: int = 200 * 1024 * 1024
    max_decompressed_bytes: int = 1024 * 1024 * 1024    # what an xlsx/ods may inflate to
    max_zip_entries: int = 10_000
    max_rows: int = 1_048_576                           # Excel's own limit, per sheet

    # The worker: rows go to the customers service in chunks of at most `chunk_rows` rows and
    # `chunk_bytes` of JSON (a Kafka message is at most 1 MB by default, the envelope included).
    chunk_rows: int = 5_000
    chunk_bytes: int = 700_000
    max_chunks_in_flight: int = 8        # sent and not yet answered: the customers service sets the pace
    poll_seconds: float = 0.5            # how often an idle worker looks for queued jobs
    heartbeat_seconds: float = 5.0
    stale_seconds: float = 15.0          # a running job silent this long (it beats every second) is taken over
    progress_seconds: float = 1.0        # import.progressed at most this often (and at least, while running)
    retention_days: int = 7              # uploads and result files are deleted after
    retention_sweep_seconds: float = 600.0

    @model_validator(mode="after")
    def _room_for_uploads(self) -> "ImportSettings":
        if "max_body_bytes" not in self.model_fields_set:
            self.max_body_bytes = max(self.max_body_bytes, self.max_upload_bytes + 2**20)
        return self
