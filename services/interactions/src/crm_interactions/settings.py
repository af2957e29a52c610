from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url


class InteractionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_INTERACTIONS_", extra="ignore", populate_by_name=True)

    service_name: str = "interactions"
    port: int = 8102
    database_url: str = default_database_url("crm_interactions")
