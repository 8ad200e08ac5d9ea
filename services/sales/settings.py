"""Settings of the sales service (env prefix ``SALES_``), with the policy's deadlines and the
approval matrix."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import SettingsConfigDict

from contracts.roles import Role
from contracts.status.sales import ApprovalRule
from services.sales.domain.approval import ApprovalMatrix, Band, default_matrix
from shared.calendar import Deadline, DeadlineRule
from shared.config import ServiceSettings


class ApprovalBand(BaseModel):
    """Up to ``up_to`` (in the base currency; omitted = no limit) one of ``roles`` approves."""

    model_config = ConfigDict(extra="forbid")

    up_to: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=2)
    roles: list[Role] = Field(min_length=1, max_length=20)


def _bands(matrix: ApprovalMatrix) -> dict[ApprovalRule, list[ApprovalBand]]:
    return {
        rule: [ApprovalBand(up_to=b.up_to, roles=sorted(Role(r) for r in b.roles)) for b in bands]
        for rule, bands in matrix.bands.items()
    }


class SalesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SALES_", extra="ignore")

    service_name: str = "sales"
    http_port: int = 8001

    info_request_deadline: Deadline = DeadlineRule(unit="business_days", length=1)
    review_deadline: Deadline = DeadlineRule(unit="hours", length=24)
    # The policies give the review (whose approval form is part of it) 24 h and name no
    # separate figure for the approval: 24 h from the approval request.
    approval_deadline: Deadline = DeadlineRule(unit="hours", length=24)
    signature_deadline: Deadline = DeadlineRule(unit="business_days", length=2)
    invoice_deadline: Deadline = DeadlineRule(unit="business_days", length=3)
    reminder_before_due: Deadline = DeadlineRule(unit="days", length=3)
    collections_after_due: Deadline = DeadlineRule(unit="days", length=15)
    base_currency: str = Field(
        default="CNY",
        pattern=r"^[A-Z]{3}$",
        description="The company's currency: thresholds, bands and credit are judged in it",
    )
    approval_threshold: Decimal = Field(
        default=Decimal("100000"),
        gt=0,
        description="Orders above this total, in the base currency, need approval",
    )
    approval_matrix: dict[ApprovalRule, list[ApprovalBand]] = Field(
        default_factory=lambda: _bands(default_matrix()),
        description="Rule -> amount bands (base currency) -> the roles that approve; JSON in"
        " the environment; a rule left out keeps its default",
    )
    payment_systems: list[str] = Field(
        default=["finance"],
        max_length=50,
        description="Departmental systems (broker login or producer) whose record_payment"
        " commands are taken: finance's",
    )
    default_currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")

    @field_validator("approval_matrix", mode="after")
    @classmethod
    def _complete_and_valid(
        cls, value: dict[ApprovalRule, list[ApprovalBand]]
    ) -> dict[ApprovalRule, list[ApprovalBand]]:
        merged = {**_bands(default_matrix()), **value}
        matrix_of(merged)  # raises ValueError naming the rule at fault
        return merged

    def matrix(self) -> ApprovalMatrix:
        return matrix_of(self.approval_matrix)


def matrix_of(bands: dict[ApprovalRule, list[ApprovalBand]]) -> ApprovalMatrix:
    return ApprovalMatrix(
        {
            rule: tuple(Band(b.up_to, frozenset(str(r) for r in b.roles)) for b in rows)
            for rule, rows in bands.items()
        }
    )
