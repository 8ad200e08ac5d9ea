"""The order aggregate: intake on top of the layers of its life.

Methods check the current status, change state, and record what happened in ``events``
(contract messages to publish) and ``timers`` (deadlines to set or stop). Nothing here does IO.
The rules live per concern: ``order_state`` (statuses and fields), ``release``, ``review``,
``amendments``, ``settlement`` and ``delays``.
"""

from __future__ import annotations

from datetime import date, datetime

from contracts.enums import Deadline
from contracts.events.sales import OrderInfoRequested, OrderReceived
from contracts.events.sla import OrderSlaBreached
from contracts.status.sales import ApprovalStatus, OrderStatus, ReviewOutcome
from services.sales.domain.amendments import Amending
from services.sales.domain.approval import Valuation
from services.sales.domain.customer import Customer, PriceEntry
from services.sales.domain.delays import Delaying
from services.sales.domain.errors import IllegalTransition
from services.sales.domain.intake import Draft, find_missing
from services.sales.domain.order_state import (
    ALL_DEPARTMENTS,
    BEFORE_SHIPMENT,
    NUMBERED_OPEN,
    REVIEWING,
    WAITING_FOR_RELEASE,
    LineChange,
    OrderState,
    Review,
    S,
)
from services.sales.domain.policy import SalesPolicy
from services.sales.domain.settlement import Settling
from shared.aggregate import CancelTimer, ScheduleTimer

__all__ = [
    "ALL_DEPARTMENTS",
    "BEFORE_SHIPMENT",
    "NUMBERED_OPEN",
    "REVIEWING",
    "WAITING_FOR_RELEASE",
    "ApprovalStatus",
    "LineChange",
    "Order",
    "OrderState",
    "OrderStatus",
    "Review",
    "ReviewOutcome",
]


class Order(Amending, Settling, Delaying):
    """One customer order, from intake to completion (or rejection, cancellation)."""

    def check_completeness(
        self, customer: Customer | None, prices: dict[str, PriceEntry], today: date
    ) -> bool:
        """Fill prices and terms from the master data; return whether the order is complete."""
        draft = Draft(
            self.customer_id,
            self.contact,
            self.lines,
            self.requested_date,
            self.delivery_address,
            self.payment_terms,
        )
        self.missing_fields = find_missing(draft, customer, prices, today)
        if customer is not None:
            self.customer_class = customer.customer_class
            self.customer_name = self.customer_name or customer.name
            if self.payment_terms is None:
                self.payment_terms = customer.payment_terms
        self.list_prices = {
            code: entry.unit_price for code, entry in prices.items() if entry is not None
        }
        for line in self.lines:
            if line.unit_price is None and line.product_code in prices:
                line.unit_price = prices[line.product_code].unit_price
        return not self.missing_fields

    def hold_for_info(self, now: datetime, policy: SalesPolicy) -> None:
        """Incomplete: keep it and contact the customer within 1 business day."""
        self._require("hold for information", S.NEW, S.PENDING_INFO)
        first = self.status == S.NEW
        self.status = S.PENDING_INFO
        if not first:
            return
        due = policy.info_request.due(now, policy.calendar)
        self.events.append(
            OrderInfoRequested(
                order_id=self.order_id,
                client_reference=self.client_reference,
                customer_id=self.customer_id,
                channel=self.channel,
                missing_fields=self.missing_fields,
                contact_deadline_at=due,
            )
        )
        self.timers.append(
            ScheduleTimer(
                self._key("info_request"),
                due,
                OrderSlaBreached(
                    deadline=Deadline.INFO_REQUEST,
                    subject_id=str(self.order_id),
                    order_id=self.order_id,
                    due_at=due,
                    breached_at=due,
                    details="customer not contacted about: " + ", ".join(self.missing_fields),
                ),
            )
        )

    def customer_contacted(self) -> None:
        self._require("record the customer contact", S.PENDING_INFO)
        self.timers.append(CancelTimer(self._key("info_request")))

    def accept(
        self, order_no: str, customer: Customer, value: Valuation, now: datetime, p: SalesPolicy
    ) -> None:
        """Complete: numbered, received, and sent to contract review."""
        self._require("accept", S.NEW, S.PENDING_INFO)
        if self.missing_fields:
            raise IllegalTransition("accept", self.status.value, "information missing")
        self.order_no = order_no
        self.timers.append(CancelTimer(self._key("info_request")))
        assert self.customer_class and self.contact and self.requested_date
        assert self.delivery_address and self.payment_terms
        self.events.append(
            OrderReceived(
                order_id=self.order_id,
                order_no=order_no,
                client_reference=self.client_reference,
                customer_id=customer.customer_id,
                customer_name=self.customer_name,
                customer_class=self.customer_class,
                channel=self.channel,
                contact=self.contact,
                lines=self.contract_lines(),
                requested_date=self.requested_date,
                delivery_address=self.delivery_address,
                payment_terms=self.payment_terms,
                rush=self.rush,
                total_amount=self.total,
                currency=self.currency,
                notes=self.notes,
                original_order_id=self.original_order_id,
            )
        )
        self._start_review(customer, value, now, p)
