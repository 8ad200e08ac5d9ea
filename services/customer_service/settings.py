"""Settings of the customer service; every deadline is a rule with the policy's default."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from contracts.roles import Role
from shared.calendar import Deadline, DeadlineRule
from shared.config import ServiceSettings

# Who may resolve a complaint, and so who may be given a limit for the money it gives back.
ALLOWANCE_ROLES = frozenset({Role.AFTER_SALES, Role.AFTER_SALES_MANAGER, Role.VP})


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
        default=[Role.AFTER_SALES_MANAGER.value, Role.VP.value],
        description="Who a complaint goes to at escalation level 1, 2, ...: the customer-service"
        " supervisor, then the vice-president in charge (000 第十条(三)(3))",
    )
    allowance_currency: str = Field(
        default="CNY",
        pattern=r"^[A-Z]{3}$",
        description="The company's base currency, in which the allowance limits are set",
    )
    allowance_limits: dict[str, Decimal | None] = Field(
        default={
            Role.AFTER_SALES.value: Decimal(0),
            Role.AFTER_SALES_MANAGER.value: Decimal(100_000),
            Role.VP.value: None,
        },
        description="The most a person of each role may give back to settle a complaint"
        " (a discount: credit note and refund) without a second person's approval, in the base"
        " currency; null = no limit. Above a person's limit, a person of a role whose limit"
        " covers the amount approves. The desk grants nothing alone: a price below the one"
        " agreed goes to the customer-service supervisor (003); the supervisor's limit is the"
        " amount above which an order is important enough for senior leadership (000"
        " 订单审批制度, sales' approval threshold); the vice-president in charge has none",
    )
    allowance_rates: dict[str, Decimal] = Field(
        default={},
        description="Units of the base currency per unit of another currency, e.g."
        ' {"USD": "7.10"}; an allowance in a currency without a rate needs a role with no limit',
    )
    notice_file: Path | None = Field(
        default=None, description="Also append every notice as a JSON line to this file"
    )
    notice_poll_s: float = 0.5

    @field_validator("allowance_limits")
    @classmethod
    def _known_roles_and_a_top(cls, limits: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
        unknown = sorted(set(limits) - ALLOWANCE_ROLES)
        if unknown:
            raise ValueError(
                f"roles {unknown} may not resolve complaints; use {sorted(ALLOWANCE_ROLES)}"
            )
        if None not in limits.values():
            raise ValueError("one role must have no limit (null), or large allowances stall")
        if any(v is not None and v < 0 for v in limits.values()):
            raise ValueError("limits are amounts of 0 or more")
        return limits

    @field_validator("allowance_rates")
    @classmethod
    def _positive_rates(cls, rates: dict[str, Decimal]) -> dict[str, Decimal]:
        if any(rate <= 0 for rate in rates.values()):
            raise ValueError("rates are positive amounts of the base currency")
        return rates
