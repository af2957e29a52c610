from pydantic_settings import SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url


class AssignmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_ASSIGNMENT_", extra="ignore", populate_by_name=True)

    service_name: str = "assignment"
    port: int = 8103
    database_url: str = default_database_url("crm_assignment")

    # how often offers past their deadline are expired
    offer_sweep_seconds: float = 30.0
    # speed-to-lead SLA: how long one of a job's `sla_minutes` lasts (the test stack: 2 s, so
    # that a deadline passes within a test), and how often leads are warned and recalled
    sla_minute_seconds: float = 60.0
    sla_sweep_seconds: float = 15.0
    # the customers service, asked once per distribution by filter which customers match
    # (crmkit.customers_client); 100,000 matching rows take ~0.5 s to build there on this machine
    customers_url: str = "http://127.0.0.1:8101"
    customers_timeout_seconds: float = 30.0
    # a distribution names up to 100,000 customers: ~4 MB of JSON ids
    max_body_bytes: int = 8 * 1024 * 1024
