"""Fulfilment news and money: shipped, delivered, payments, invoices, credit notes, completion."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from contracts.enums import Deadline
from contracts.events.sales import OrderCompleted
from contracts.events.sla import PaymentSlaBreached
from services.sales.domain.order_state import NUMBERED_OPEN, REVIEWING, WAITING_FOR_RELEASE, S
from services.sales.domain.policy import SalesPolicy, money
from services.sales.domain.release import Releasing
from shared.aggregate import CancelTimer, ScheduleTimer


class Settling(Releasing):
    """Shipment and delivery news, payments, invoices and credit notes, completion."""

    def _in_fulfilment(self) -> bool:
        """Released, or released before and under review again after an amendment: the
        departments keep working on it meanwhile, so its goods may leave."""
        if self.status == S.RELEASED:
            return True
        return self.released_at is not None and self.status in (*REVIEWING, *WAITING_FOR_RELEASE)

    def _stop_rereview(self) -> None:
        """Goods left while an amendment was under review: the shipment stands, the review,
        approval and signature of the amendment are no longer waited for."""
        if self.status != S.RELEASED:
            for name in ("review", "approval", "signature"):
                self.timers.append(CancelTimer(self._key(name)))

    def mark_shipped(self, at: datetime) -> bool:
        if not self._in_fulfilment():
            return False
        self._stop_rereview()
        self.status, self.shipped_at = S.SHIPPED, at
        return True

    def mark_delivered(self, at: datetime, now: datetime, p: SalesPolicy) -> bool:
        if not (self._in_fulfilment() or self.status == S.SHIPPED):
            return False
        self._stop_rereview()
        self.shipped_at = self.shipped_at or at
        self.status, self.delivered_at = S.DELIVERED, at
        self.delivered_on = p.calendar.local_date(at)
        self._try_complete(now)
        return True

    def record_payment(
        self,
        amount: Decimal,
        is_deposit: bool,
        now: datetime,
        p: SalesPolicy,
        received_on: date | None = None,
    ) -> bool:
        """Money in; returns whether the order is now fully paid. Starts the invoice deadline
        (3 business days) when more was paid than invoiced, counted from the day the money was
        received (at this time of day), not from when it was recorded."""
        self._require("record a payment", *NUMBERED_OPEN)
        self.paid_total = money(self.paid_total + amount)
        if is_deposit:
            self.deposit_paid = money(self.deposit_paid + amount)
        if self.settled and self.paid_at is None:
            self.paid_at = now
        if self.paid_total > self.invoiced_total and self.invoice_due_at is None:
            due = p.invoice.due(_received_at(received_on, now, p), p.calendar)
            self.invoice_due_at = due
            self.timers.append(
                ScheduleTimer(
                    self._key("invoice"),
                    due,
                    PaymentSlaBreached(
                        deadline=Deadline.INVOICE,
                        subject_id=str(self.order_id),
                        subject_no=self.order_no,
                        order_id=self.order_id,
                        due_at=due,
                        breached_at=due,
                        details="payment received but no invoice issued",
                    ),
                )
            )
        self._try_release(now)
        self._try_complete(now)
        return self.settled

    def invoiced(self, amount: Decimal) -> None:
        self._require("invoice", *NUMBERED_OPEN, S.COMPLETED)
        self.invoiced_total = money(self.invoiced_total + amount)
        if self.invoice_due_at is not None and self.invoiced_total >= self.paid_total:
            self.invoice_due_at = None
            self.timers.append(CancelTimer(self._key("invoice")))

    def credited(self, amount: Decimal, now: datetime) -> None:
        """A credit note (refund or price allowance after a complaint) lowers what is owed."""
        self._require("credit", *NUMBERED_OPEN, S.COMPLETED)
        self.credited_total = money(self.credited_total + amount)
        if self.settled and self.paid_at is None:
            self.paid_at = now
        self._try_complete(now)

    def _try_complete(self, now: datetime) -> None:
        if self.status != S.DELIVERED or not self.settled:
            return
        if self.paid_at is None:  # nothing was ever owed: a free replacement
            self.paid_at = now
        assert self.order_no and self.promised_date and self.delivered_at and self.paid_at
        assert self.delivered_on
        self.status, self.completed_at = S.COMPLETED, now
        self.events.append(
            OrderCompleted(
                order_id=self.order_id,
                order_no=self.order_no,
                promised_date=self.promised_date,
                delivered_at=self.delivered_at,
                paid_at=self.paid_at,
                on_time=self.delivered_on <= self.promised_date,
            )
        )


def _received_at(received_on: date | None, now: datetime, p: SalesPolicy) -> datetime:
    """The instant the invoice clock starts: the day the money was received, at the local time
    of recording; never later than now."""
    if received_on is None:
        return now
    local = now.astimezone(p.calendar.tz)
    return min(now, datetime.combine(received_on, local.timetz()))
