from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url


class CustomersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_CUSTOMERS_", extra="ignore", populate_by_name=True)

    service_name: str = "customers"
    port: int = 8101
    database_url: str = default_database_url("crm_customers")
