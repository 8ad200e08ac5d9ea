"""The rule parameters the domain needs (from settings), built once by ``bootstrap``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from services.sales.domain.approval import ApprovalMatrix, default_matrix
from shared.calendar import BusinessCalendar, DeadlineRule

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SalesPolicy:
    """Deadlines, thresholds and authorities, with the policy's defaults living in
    ``SalesSettings``."""

    calendar: BusinessCalendar
    info_request: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("1bd"))
    review: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("24h"))
    approval: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("24h"))
    signature: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("2bd"))
    invoice: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("3bd"))
    reminder_before_due: timedelta = timedelta(days=3)
    collections_after_due: timedelta = timedelta(days=15)
    approval_threshold: Decimal = Decimal("100000")
    """In the base currency: an order converted to more than this needs approval."""
    delay_needs_consent_over_business_days: int = 3
    matrix: ApprovalMatrix = field(default_factory=default_matrix)
    base_currency: str = "CNY"
    payment_systems: frozenset[str] = frozenset({"finance"})
    """Departmental systems whose ``sales.record_payment`` commands are taken."""
