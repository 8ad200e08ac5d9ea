"""Settings of the customer service; every deadline is a rule with the policy's default."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.calendar import Deadline, DeadlineRule
from shared.config import ServiceSettings


class CustomerServiceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_SERVICE_", extra="ignore")

    service_name: str = "customer_service"
    http_port: int = 8005

    complaint_assignment_deadline: Deadline = DeadlineRule(unit="hours", length=2)
    complaint_resolution_domestic: Deadline = DeadlineRule(unit="days", length=10)
    complaint_resolution_foreign: Deadline = DeadlineRule(unit="days", length=15)
    delay_remedy_threshold_business_days: int = Field(
        default=3, ge=0, description="A delay over this many business days needs a remedy plan"
    )
    remedy_plan_deadline: Deadline = Field(
        default=DeadlineRule(unit="business_days", length=2),
        description="How long the remedy plan and the customer's consent may take",
    )
    spare_part_stock_install: Deadline = DeadlineRule(unit="months", length=1)
    spare_part_rush_install: Deadline = DeadlineRule(unit="days", length=7)
    at_risk_days: int = Field(
        default=2, ge=0, description="Not yet shipped this close to the promised date = at risk"
    )
    escalation_chain: list[str] = Field(
        default=["customer_service_manager", "vice_president"],
        description="Who a complaint goes to at escalation level 1, 2, ...",
    )
    notice_file: Path | None = Field(
        default=None, description="Also append every notice as a JSON line to this file"
    )
    notice_poll_s: float = 0.5
