"""The rule parameters the domain needs (from settings), and the deadlines it asks for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from contracts.base import Message
from shared.calendar import BusinessCalendar, DeadlineRule

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SalesPolicy:
    """Deadlines and thresholds, with the policy's defaults living in ``SalesSettings``."""

    calendar: BusinessCalendar
    info_request: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("1bd"))
    review: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("24h"))
    approval: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("24h"))
    signature: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("2bd"))
    invoice: DeadlineRule = field(default_factory=lambda: DeadlineRule.parse("3bd"))
    reminder_before_due: timedelta = timedelta(days=3)
    collections_after_due: timedelta = timedelta(days=15)
    approval_threshold: Decimal = Decimal("100000")
    delay_needs_consent_over_business_days: int = 3


@dataclass(frozen=True)
class ScheduleTimer:
    """Ask for a durable deadline: ``message`` is emitted at ``due_at`` unless cancelled."""

    key: str
    due_at: datetime
    message: Message


@dataclass(frozen=True)
class CancelTimer:
    key: str


TimerChange = ScheduleTimer | CancelTimer
