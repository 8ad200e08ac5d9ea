"""Warehouse settings (env prefix ``WAREHOUSE_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class WarehouseSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WAREHOUSE_", extra="ignore")

    service_name: str = "warehouse"
    http_port: int = 8003
    inbound_location: str = Field(
        default="FG", description="Location finished goods go to after passing inbound QC"
    )
    restock_location: str = Field(
        default="FG", description="Location restocked customer returns go to by default"
    )
