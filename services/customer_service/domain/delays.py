"""Delays and remedy plans.

Policy: every delay is explained to the customer at once. A delay of more than 3 business days
(工作日: weekends and public holidays skipped, make-up working days counted) needs a remedy plan,
filled in by a person, and the customer's consent to the new date; until then it is an open item
with a deadline. Consent is published as ``order.delivery_date_changed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from contracts.base import Message
from contracts.events import OrderDeliveryDateChanged
from services.customer_service.domain.errors import IllegalTransition
from shared.calendar import BusinessCalendar

OPEN_STATUSES = ("open", "proposed", "declined")


def slip_business_days(old: date, new: date, calendar: BusinessCalendar) -> int:
    """Business days between the old and the new date (0 when not later)."""
    return calendar.business_days_between(old, new)


def needs_remedy_plan(slip: int, threshold: int) -> bool:
    return slip > threshold


@dataclass
class RemedyPlan:
    plan_id: UUID
    order_id: UUID
    order_no: str
    old_date: date
    new_date: date
    reason: str
    slip_business_days: int
    opened_at: datetime
    due_at: datetime
    status: str = "open"
    remedy: str | None = None
    filled_by: str | None = None
    consented_by: str | None = None
    closed_at: datetime | None = None
    events: list[Message] = field(default_factory=list)

    def move_to(self, new_date: date, reason: str, slip: int) -> bool:
        """A later delay for an open plan: the new date needs the customer's consent again."""
        if self.status not in OPEN_STATUSES or new_date <= self.new_date:
            return False
        self.new_date, self.reason, self.slip_business_days = new_date, reason, slip
        if self.status == "proposed":
            self.status = "open"
        return True

    def propose(self, remedy: str, filled_by: str) -> None:
        if self.status not in OPEN_STATUSES:
            raise IllegalTransition("remedy plan", self.status, "propose")
        self.remedy, self.filled_by, self.status = remedy, filled_by, "proposed"

    def consent(self, consented_by: str, now: datetime) -> None:
        if self.status != "proposed" or self.remedy is None:
            raise IllegalTransition("remedy plan", self.status, "consent to")
        self.status, self.consented_by, self.closed_at = "consented", consented_by, now
        self.events.append(
            OrderDeliveryDateChanged(
                order_id=self.order_id,
                order_no=self.order_no,
                old_date=self.old_date,
                new_date=self.new_date,
                reason=self.reason,
                customer_consent=True,
                consented_by=consented_by,
                remedy_plan=self.remedy,
            )
        )

    def decline(self) -> None:
        if self.status != "proposed":
            raise IllegalTransition("remedy plan", self.status, "decline")
        self.status = "declined"

    def cancel(self, now: datetime) -> bool:
        if self.status not in OPEN_STATUSES:
            return False
        self.status, self.closed_at = "cancelled", now
        return True
