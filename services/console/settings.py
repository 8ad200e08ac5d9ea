"""The console's settings: where the five services' HTTP APIs and the broker are."""

from __future__ import annotations

from pydantic import Field
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

    def service_urls(self) -> dict[str, str]:
        return {
            "sales": self.sales_url,
            "production": self.production_url,
            "warehouse": self.warehouse_url,
            "logistics": self.logistics_url,
            "customer_service": self.customer_service_url,
        }
