import os

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url

MIB = 1024 * 1024


class InteractionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_INTERACTIONS_", extra="ignore", populate_by_name=True)

    service_name: str = "interactions"
    port: int = 8102
    database_url: str = default_database_url("crm_interactions")

    # Attachments (I-5): the upload endpoint enforces `attachment_max_bytes` itself while it
    # streams; crmkit's body limit for this service must leave room for it (limit + 1 MiB).
    attachment_max_bytes: int = Field(20 * MIB, gt=0)
    attachment_dir: str = Field(
        default_factory=lambda: f"{os.environ.get('CRM_LOCAL_DIR', '.local/dev')}/attachments")

    # Read your own writes (handlers/fresh_access.py): the customers service, asked when a customer
    # is not (yet) in this service's read model; unset: no fallback (service tests)
    customers_url: str | None = None
    customers_timeout_seconds: float = Field(3.0, gt=0)

    # Notifications (I-9): open SSE streams per user and process (browser tabs, devices).
    max_streams_per_user: int = Field(5, gt=0)

    @model_validator(mode="after")
    def _room_for_uploads(self) -> "InteractionsSettings":
        if "max_body_bytes" not in self.model_fields_set:
            self.max_body_bytes = max(self.max_body_bytes, self.attachment_max_bytes + MIB)
        return self
