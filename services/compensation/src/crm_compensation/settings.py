from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url


class CompensationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_COMPENSATION_", extra="ignore", populate_by_name=True)

    service_name: str = "compensation"
    port: int = 8104
    database_url: str = default_database_url("crm_compensation")
