"""The console's settings: the five services' HTTP APIs, the broker, sign-in and its guards."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class ConsoleSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore")

    service_name: str = "console"
    http_port: int = 8000
    sales_url: str = "http://127.0.0.1:8001"
    production_url: str = "http://127.0.0.1:8002"
    warehouse_url: str = "http://127.0.0.1:8003"
    logistics_url: str = "http://127.0.0.1:8004"
    customer_service_url: str = "http://127.0.0.1:8005"
    request_timeout_s: float = Field(default=10.0, gt=0)
    refresh_s: float = Field(default=3.0, gt=0, description="How often open pages refresh")
    kpi_months: int = Field(default=6, ge=1, le=24, description="Months shown on the KPI page")
    kpi_quarters: int = Field(default=4, ge=1, le=8, description="Quarters on the KPI page")

    allowed_hosts: list[str] = Field(
        default=["127.0.0.1", "localhost"],
        description="Host names the console answers to (the Host header); others get 400."
        " Health checks answer on any host",
    )
    trusted_origins: list[str] = Field(
        default=[],
        description="Origins besides the console's own from which a POST is taken, e.g."
        " https://console.example.com when a TLS proxy in front speaks plain HTTP to it",
    )
    session_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Key of the pages' CSRF tokens; empty: a random key per process (pages"
        " open across a restart must be reloaded). Give every replica the same one",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Session cookies only over HTTPS; None: when the request came over HTTPS",
    )
    default_locale: str = Field(default="zh-CN", description="zh-CN or en")
    auth_token_url: str = Field(
        default="", description="The provider's token endpoint; empty: from its discovery document"
    )
    auth_revocation_url: str = Field(
        default="",
        description="The provider's revocation endpoint; empty: from its discovery document",
    )
    auth_client_id: str = Field(
        default="console",
        description="The console's client id at the provider (Keycloak: the client made for it);"
        " empty: none sent",
    )
    auth_client_secret: SecretStr = Field(
        default=SecretStr(""), description="The console's client secret (confidential clients)"
    )
    refresh_margin_s: float = Field(
        default=60.0, ge=0, description="Refresh an access token this long before it expires"
    )
    session_max_age_s: int = Field(
        default=8 * 3600,
        ge=60,
        description="Lifetime of the refresh-token cookie when the provider does not say",
    )
    route_roles_ttl_s: float = Field(
        default=300.0,
        gt=0,
        description="How long the roles each service declares for its routes are kept",
    )

    def service_urls(self) -> dict[str, str]:
        return {
            "sales": self.sales_url,
            "production": self.production_url,
            "warehouse": self.warehouse_url,
            "logistics": self.logistics_url,
            "customer_service": self.customer_service_url,
        }
