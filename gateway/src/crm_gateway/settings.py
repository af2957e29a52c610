"""Gateway settings: env prefix CRM_GATEWAY_, plus a few platform-wide un-prefixed variables."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from crmkit.settings import ServiceSettings, default_database_url

from crm_gateway.domain.client_address import IPNetwork, parse_networks

DEVELOPMENT_ADMIN_PASSWORD = "admin12345"
MiB = 1024 * 1024


def _local_dir() -> str:
    return os.environ.get("CRM_LOCAL_DIR", ".local/dev")


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_GATEWAY_", extra="ignore", populate_by_name=True)

    service_name: str = "gateway"
    port: int = 8000
    # uvicorn worker processes on the one port. Each keeps its own rate-limit buckets and verified-token
    # cache (like replicas: a caller may get up to N times a limit); revocations and login back-off are
    # in PostgreSQL. Measured (docs/benchmarks.md, issue 14): not a throughput gain on 2 shared cores.
    workers: int = 1
    # /metrics is not served on the public port: on a listener of its own (default: port + 1)
    metrics_port: int | None = Field(default_factory=lambda data: data["port"] + 1)
    database_url: str = Field(default_factory=lambda: default_database_url("crm_gateway"))
    # The request-body limit of crmkit's middleware applies to everything the gateway receives,
    # so it is the (large) limit of proxied requests: imports are big and services enforce their
    # own limits. The gateway's own JSON endpoints have the small `own_max_body_bytes`.
    max_body_bytes: int = 1024 * MiB
    own_max_body_bytes: int = 64 * 1024
    # What each service accepts (mirror CRM_<SERVICE>_MAX_BODY_BYTES and, for file uploads,
    # CRM_INTERACTIONS_ATTACHMENT_MAX_BYTES): a larger Content-Length is refused here with 413
    # before a byte is proxied, and a streamed body is cut at the same size.
    customers_max_body_bytes: int = 2 * MiB
    interactions_max_body_bytes: int = 2 * MiB
    assignment_max_body_bytes: int = 8 * MiB
    compensation_max_body_bytes: int = 2 * MiB
    import_max_body_bytes: int = 2 * MiB
    attachment_max_bytes: int = 20 * MiB  # uploads may carry it plus 1 MiB (a multipart envelope)
    import_upload_max_bytes: int = 200 * MiB  # CRM_IMPORT_MAX_UPLOAD_BYTES: spreadsheets to import

    # the owning services: each a base URL, or several comma-separated (its replicas, S-2; crmkit.upstreams)
    customers_url: str = "http://127.0.0.1:8101"
    interactions_url: str = "http://127.0.0.1:8102"
    assignment_url: str = "http://127.0.0.1:8103"
    compensation_url: str = "http://127.0.0.1:8104"
    import_url: str = "http://127.0.0.1:8105"

    # reverse proxy (one pooled HTTP/1.1 client)
    proxy_connect_timeout: float = 2.0
    proxy_read_timeout: float = 30.0
    # the writes that apply a whole selection before they answer (proxy.LONG_WRITES): at 10M a bulk label
    # of 100,000 took 102-112 s on a cold cache, and a 504 for work that goes on and succeeds misleads
    proxy_long_write_timeout: float = 300.0
    proxy_write_timeout: float = 30.0
    proxy_pool_timeout: float = 5.0
    proxy_max_connections: int = 500
    proxy_max_keepalive_connections: int = 100
    proxy_keepalive_expiry: float = 30.0

    # documentation aggregation
    docs_fetch_timeout: float = 2.0
    docs_cache_seconds: float = 30.0

    # rate limits (token buckets, in memory per replica)
    rate_limit_user_per_minute: int = 600
    rate_limit_user_burst: int = 120
    rate_limit_login_per_minute: int = 30
    rate_limit_login_burst: int = 10
    rate_limit_api_key_per_minute: int = 600  # default of keys created without their own limit
    rate_limit_max_buckets: int = 100_000  # per-user and per-key buckets
    rate_limit_max_ip_buckets: int = 100_000  # per-client-address login buckets (kept apart)

    # the proxies in front of the gateway (ingress, load balancer): CRM_GATEWAY_TRUSTED_PROXIES=
    # "10.0.0.0/8,fd00::/8". Empty: nobody is trusted and the socket peer is the client. Only from a
    # trusted peer is `forwarded_header` read (its right-most address that is not a trusted proxy).
    trusted_proxies: Annotated[list[IPNetwork], NoDecode] = Field(default_factory=list)
    forwarded_header: Literal["x-forwarded-for", "forwarded"] = "x-forwarded-for"

    # CORS: CRM_GATEWAY_CORS_ORIGINS="https://crm.example.vn,http://localhost:5173" (or a JSON list)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # tokens
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    service_token_ttl_seconds: int = 120
    service_token_cache_seconds: float = 50.0

    # login back-off per (username, client address): after `after_failures` consecutive failures
    # the pair waits `base_seconds`, doubling with each further failure up to `max_seconds`
    login_backoff_after_failures: int = 5
    login_backoff_base_seconds: int = 30
    login_backoff_max_seconds: int = 15 * 60
    login_failures_forget_seconds: int = 24 * 3600  # a pair idle this long starts again from zero
    # credential stuffing (issue 15): once a username has `guard_after_failures` failed logins
    # within `guard_window_seconds`, from any addresses, it signs in only from a device that signed
    # it in before (a device cookie, `device_ttl_seconds`); other clients get 423 until it calms
    login_guard_after_failures: int = Field(20, ge=1)
    login_guard_window_seconds: int = Field(15 * 60, ge=1)
    login_device_ttl_seconds: int = Field(180 * 24 * 3600, ge=60)
    login_failures_max_rows: int = 100_000
    login_audit_retention_days: int = 90
    login_audit_max_rows: int = 1_000_000
    login_purge_interval_seconds: float = 60.0

    # argon2id cost (RFC 9106 "low memory" profile by default)
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4

    root_unit_name: str = "Công ty"

    # the web console's build (web/dist of the repository by default), served at /
    web_dir: str | None = None

    # platform-wide, un-prefixed
    environment: str = Field(default="production", validation_alias="CRM_ENV")
    jwt_private_key_file: str = Field(
        default_factory=lambda: f"{_local_dir()}/keys/jwt_private.pem",
        validation_alias="CRM_JWT_PRIVATE_KEY_FILE",
    )
    admin_username: str = Field(default="admin", validation_alias="CRM_ADMIN_USERNAME")
    admin_password: SecretStr | None = Field(default=None, validation_alias="CRM_ADMIN_PASSWORD")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_networks(cls, value: Any) -> Any:
        return parse_networks(value) if isinstance(value, str) else value

    @field_validator("forwarded_header", mode="before")
    @classmethod
    def _lower_header(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def is_development(self) -> bool:
        return self.environment.lower() in ("development", "dev", "local")

    def service_urls(self) -> dict[str, str]:
        return {
            "customers": self.customers_url,
            "interactions": self.interactions_url,
            "assignment": self.assignment_url,
            "compensation": self.compensation_url,
            "import": self.import_url,
        }

    def service_body_limits(self) -> dict[str, int]:
        return {service: getattr(self, f"{service}_max_body_bytes") for service in self.service_urls()}

    def initial_admin_password(self) -> str:
        """CRM_ADMIN_PASSWORD, which only development may leave unset."""
        if self.admin_password is not None and self.admin_password.get_secret_value():
            return self.admin_password.get_secret_value()
        if self.is_development:
            return DEVELOPMENT_ADMIN_PASSWORD
        raise RuntimeError("CRM_ADMIN_PASSWORD is required outside development (CRM_ENV=development)")

    @property
    def private_key_path(self) -> Path:
        return Path(self.jwt_private_key_file)
