"""Delays and remedy plans.

Policy: every delay is explained to the customer at once. A delay of more than 3 business days
(工作日: weekends and public holidays skipped, make-up working days counted) needs a remedy plan,
filled in by a person, and the customer's consent to the new date; until then it is an open item
with a deadline. Consent is published as ``order.delivery_date_changed``. The customer's answer
comes through a person: the name the customer gave is kept as they declared it, while who
recorded the answer, and when, are the signed-in person and the server's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.enums import Deadline
from contracts.events import OrderDeliveryDateChanged, OrderSlaBreached
from contracts.status.customer_service import RemedyPlanStatus
from services.customer_service.domain.errors import IllegalTransition
from shared.aggregate import Aggregate
from shared.calendar import BusinessCalendar

OPEN_STATUSES: tuple[str, ...] = (
    RemedyPlanStatus.OPEN.value,
    RemedyPlanStatus.PROPOSED.value,
    RemedyPlanStatus.DECLINED.value,
)


def slip_business_days(old: date, new: date, calendar: BusinessCalendar) -> int:
    """Business days between the old and the new date (0 when not later)."""
    return calendar.business_days_between(old, new)


def needs_remedy_plan(slip: int, threshold: int) -> bool:
    return slip > threshold


@dataclass
class RemedyPlan(Aggregate):
    plan_id: UUID
    order_id: UUID
    order_no: str
    old_date: date
    new_date: date
    reason: str
    slip_business_days: int
    opened_at: datetime
    due_at: datetime
    status: str = RemedyPlanStatus.OPEN
    remedy: str | None = None
    filled_by: str | None = None
    consented_by: str | None = None
    answer_recorded_by: str | None = None
    answer_recorded_at: datetime | None = None
    closed_at: datetime | None = None

    @classmethod
    def open(cls, **fields: Any) -> RemedyPlan:
        """A delay over the threshold: the plan and its consent are due by ``due_at``."""
        plan = cls(**fields)
        plan._watch()
        return plan

    @property
    def correlation_id(self) -> str:
        return str(self.order_id)

    @property
    def timer_key(self) -> str:
        return f"remedy:{self.plan_id}"

    def _watch(self) -> None:
        self.schedule(
            self.timer_key,
            self.due_at,
            OrderSlaBreached(
                deadline=Deadline.DELAY_CONSENT,
                subject_id=str(self.plan_id),
                subject_no=self.order_no,
                order_id=self.order_id,
                due_at=self.due_at,
                breached_at=self.due_at,
                details=f"no agreed remedy for the delay to {self.new_date}",
            ),
        )

    def move_to(self, new_date: date, reason: str, slip: int, due_at: datetime) -> bool:
        """A later delay for an open plan: the new date needs the customer's consent again,
        by a new deadline."""
        if self.status not in OPEN_STATUSES or new_date <= self.new_date:
            return False
        self.new_date, self.reason, self.slip_business_days = new_date, reason, slip
        if self.status == RemedyPlanStatus.PROPOSED:
            self.status = RemedyPlanStatus.OPEN
        self.due_at = due_at
        self._watch()
        return True

    def propose(self, remedy: str, filled_by: str) -> None:
        if self.status not in OPEN_STATUSES:
            raise IllegalTransition("remedy plan", self.status, "propose")
        self.remedy, self.filled_by = remedy, filled_by
        self.status = RemedyPlanStatus.PROPOSED

    def consent(self, customer_name: str, recorded_by: str, now: datetime) -> None:
        """The customer agreed (``customer_name``, as declared); the new date is published."""
        if self.status != RemedyPlanStatus.PROPOSED or self.remedy is None:
            raise IllegalTransition("remedy plan", self.status, "consent to")
        self.status, self.consented_by, self.closed_at = (
            RemedyPlanStatus.CONSENTED,
            customer_name,
            now,
        )
        self.answer_recorded_by, self.answer_recorded_at = recorded_by, now
        self.cancel(self.timer_key)
        self.events.append(
            OrderDeliveryDateChanged(
                order_id=self.order_id,
                order_no=self.order_no,
                old_date=self.old_date,
                new_date=self.new_date,
                reason=self.reason,
                customer_consent=True,
                consented_by=customer_name,
                remedy_plan=self.remedy,
            )
        )

    def decline(self, recorded_by: str, now: datetime) -> None:
        if self.status != RemedyPlanStatus.PROPOSED:
            raise IllegalTransition("remedy plan", self.status, "decline")
        self.status = RemedyPlanStatus.DECLINED
        self.answer_recorded_by, self.answer_recorded_at = recorded_by, now

    def close_with_order(self, now: datetime) -> bool:
        """The order was cancelled: nothing is left to agree on."""
        if self.status not in OPEN_STATUSES:
            return False
        self.status, self.closed_at = RemedyPlanStatus.CANCELLED, now
        self.cancel(self.timer_key)
        return True
