"""Settings shared by every service; each service subclasses with its own env prefix."""
from __future__ import annotations

import os
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _pg_port() -> str:
    return os.environ.get("CRM_PG_PORT", "25432")


def default_database_url(database: str) -> str:
    return f"postgresql://crm:crm@127.0.0.1:{_pg_port()}/{database}"


def _kafka_bootstrap() -> str:
    return f"127.0.0.1:{os.environ.get('CRM_KAFKA_PORT', '29092')}"


def _local_dir() -> str:
    return os.environ.get("CRM_LOCAL_DIR", ".local/dev")


class ServiceSettings(BaseSettings):
    """Base settings. Subclasses set `env_prefix` (e.g. CRM_CUSTOMERS_) and `service_name`.

    Kafka and the JWT public key are platform-wide, so they are read from un-prefixed variables.
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = "service"
    host: str = "127.0.0.1"
    port: int = 8100
    database_url: str = ""
    db_pool_min: int = 2
    db_pool_max: int = 20
    run_mode: Literal["all", "api", "worker"] = "all"
    log_level: str = "INFO"
    max_body_bytes: int = 2 * 1024 * 1024
    # /metrics on a listener of its own (host:metrics_port) instead of beside the API; None: beside it
    metrics_port: int | None = None

    kafka_bootstrap: str = Field(default_factory=_kafka_bootstrap, validation_alias="CRM_KAFKA_BOOTSTRAP")
    jwt_public_key_file: str = Field(
        default_factory=lambda: f"{_local_dir()}/keys/jwt_public.pem",
        validation_alias="CRM_JWT_PUBLIC_KEY_FILE",
    )
    jwt_issuer: str = Field(default="crm-gateway", validation_alias="CRM_JWT_ISSUER")

    # allocations between young-generation collections (Python's default: 700); platform-wide, see
    # crmkit.service.tune_gc
    gc_gen0_threshold: int = Field(default=50_000, ge=700, validation_alias="CRM_GC_GEN0_THRESHOLD")

    outbox_poll_seconds: float = 1.0
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2

    @property
    def runs_api(self) -> bool:
        return self.run_mode in ("all", "api")

    @property
    def runs_worker(self) -> bool:
        return self.run_mode in ("all", "worker")
