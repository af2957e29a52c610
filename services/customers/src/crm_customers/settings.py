import os

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url


def _export_dir() -> str:
    return f"{os.environ.get('CRM_LOCAL_DIR', '.local/dev')}/exports/customers"


class CustomersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_CUSTOMERS_", extra="ignore", populate_by_name=True)

    service_name: str = "customers"
    port: int = 8101
    database_url: str = default_database_url("crm_customers")

    # Soft delete and purge (C-10): restorable for this many days, then purged by the worker.
    deleted_retention_days: int = 30
    purge_interval_seconds: float = 3600.0

    # Export jobs (C-13): CRM_CUSTOMERS_EXPORT_DIR, default $CRM_LOCAL_DIR/exports/customers.
    export_dir: str = Field(default_factory=_export_dir)
    export_poll_seconds: float = 1.0        # how often an idle worker looks for queued jobs
    export_heartbeat_seconds: float = 5.0   # a running job's heartbeat
    export_stale_seconds: float = 60.0      # a running job silent this long is re-queued
    export_max_attempts: int = 3
    export_retention_days: int = 7          # files (and their jobs' downloads) are deleted after
    export_prefetch: int = 5_000            # rows per round trip of the server-side cursor

    # Import chunks (issue 11): members of the import consumer group in this process, applying
    # chunks side by side (crm_customers.consumers; 1: one after the other).
    import_consumers: int = Field(default=2, ge=1)
    # Assignment events (issue 13): members of the assignment consumer group in this process, each
    # applying the events of its share of the partitions (crm_customers.consumers; 1: one after the other).
    assignment_consumers: int = Field(default=2, ge=1)
