"""Delays reported by other departments and agreed changes of the delivery date."""

from __future__ import annotations

from datetime import date

from contracts.events.sales import OrderDeliveryDateChanged
from services.sales.domain.errors import InvalidChange
from services.sales.domain.order_state import WAITING_FOR_RELEASE, OrderState, S
from services.sales.domain.policy import SalesPolicy


class Delaying(OrderState):
    """Later dates: reported delays and agreed date changes."""

    def delay_reported(self, new_date: date, reason: str, p: SalesPolicy) -> bool:
        """A department will miss the promised date. Up to 3 business days late the date
        moves at once; beyond that the customer must agree to a remedy plan first."""
        if self.status not in (*WAITING_FOR_RELEASE, S.RELEASED, S.SHIPPED):
            return False
        if self.promised_date is None or new_date <= self.promised_date:
            return False
        late = p.calendar.business_days_between(self.promised_date, new_date)
        if late > p.delay_needs_consent_over_business_days:
            self.proposed_date, self.proposed_reason = new_date, reason
            return True
        self._move_date(new_date, reason, False, None, None)
        return True

    def change_delivery_date(
        self,
        new_date: date,
        reason: str,
        consented_by: str | None,
        remedy_plan: str | None,
        p: SalesPolicy,
    ) -> None:
        self._require("change the delivery date", *WAITING_FOR_RELEASE, S.RELEASED, S.SHIPPED)
        assert self.promised_date
        late = p.calendar.business_days_between(self.promised_date, new_date)
        if late > p.delay_needs_consent_over_business_days and not (consented_by and remedy_plan):
            raise InvalidChange(
                "remedy_plan",
                "a delay over 3 business days needs a remedy plan and the customer's consent",
            )
        self._move_date(new_date, reason, consented_by is not None, consented_by, remedy_plan)

    def _move_date(
        self,
        new_date: date,
        reason: str,
        consent: bool,
        consented_by: str | None,
        remedy_plan: str | None,
    ) -> None:
        assert self.order_no and self.promised_date
        self.events.append(
            OrderDeliveryDateChanged(
                order_id=self.order_id,
                order_no=self.order_no,
                old_date=self.promised_date,
                new_date=new_date,
                reason=reason,
                customer_consent=consent,
                consented_by=consented_by,
                remedy_plan=remedy_plan,
            )
        )
        self.promised_date = new_date
        self.proposed_date = self.proposed_reason = None
