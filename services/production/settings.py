"""Production's settings (env prefix ``PRODUCTION_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.calendar import Deadline, DeadlineRule
from shared.config import ServiceSettings


class ProductionSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PRODUCTION_", extra="ignore")

    service_name: str = "production"
    http_port: int = 8002

    planning_horizon_days: int = Field(
        default=365, ge=1, description="How far ahead capacity is loaded before giving up"
    )
    lead_days: int = Field(
        default=1,
        ge=0,
        description="Business days between scheduling and the first production day",
    )
    warehouse_wait: Deadline = Field(
        default=DeadlineRule(unit="hours", length=4),
        description="How long the review waits for the warehouse's stock answer before quoting"
        " the full quantity (the whole review must finish within 24 h)",
    )
    delay_check_interval_s: float = Field(
        default=3600.0, gt=0, description="How often open work orders are checked against plan"
    )
