"""Settings of the sales service (env prefix ``SALES_``), with the policy's deadlines."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.calendar import Deadline, DeadlineRule
from shared.config import ServiceSettings


class SalesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SALES_", extra="ignore")

    service_name: str = "sales"
    http_port: int = 8001

    info_request_deadline: Deadline = DeadlineRule(unit="business_days", length=1)
    review_deadline: Deadline = DeadlineRule(unit="hours", length=24)
    # The policies give the review (whose approval form is part of it) 24 h and name no
    # separate figure for the manager's approval: 24 h from the approval request.
    approval_deadline: Deadline = DeadlineRule(unit="hours", length=24)
    signature_deadline: Deadline = DeadlineRule(unit="business_days", length=2)
    invoice_deadline: Deadline = DeadlineRule(unit="business_days", length=3)
    reminder_before_due: Deadline = DeadlineRule(unit="days", length=3)
    collections_after_due: Deadline = DeadlineRule(unit="days", length=15)
    approval_threshold: Decimal = Field(
        default=Decimal("100000"), description="Orders above this total need a manager"
    )
    default_currency: str = "CNY"
