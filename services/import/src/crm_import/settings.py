from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url


class ImportSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_IMPORT_", extra="ignore", populate_by_name=True)

    service_name: str = "import"
    port: int = 8105
    database_url: str = default_database_url("crm_import")
