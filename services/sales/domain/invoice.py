"""Invoices and their money deadlines.

Policy (回款跟踪): the customer is reminded 3 days before the invoice is due; 15 days overdue,
collections start (``payment.overdue``) with a late fee where the contract sets one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from contracts.base import Message
from contracts.events.sales import InvoiceIssued, PaymentOverdue, PaymentReminderSent
from services.sales.domain.errors import InvalidChange
from services.sales.domain.order import Order
from services.sales.domain.policy import SalesPolicy, money
from shared.aggregate import CancelTimer, ScheduleTimer, TimerChange


@dataclass
class Invoice:
    invoice_id: UUID
    invoice_no: str
    order_id: UUID
    order_no: str
    amount: Decimal
    currency: str
    issued_on: date
    due_date: date
    late_fee_percent: Decimal | None = None
    paid_amount: Decimal = Decimal("0")
    # the requester's own reference: the same request again gets this invoice, not another
    reference: str | None = None
    events: list[Message] = field(default_factory=list, repr=False, compare=False)
    timers: list[TimerChange] = field(default_factory=list, repr=False, compare=False)

    @property
    def open_amount(self) -> Decimal:
        return max(Decimal(0), self.amount - self.paid_amount)

    @property
    def paid(self) -> bool:
        return self.open_amount == 0

    @classmethod
    def issue(
        cls,
        invoice_id: UUID,
        invoice_no: str,
        order: Order,
        amount: Decimal | None,
        credit: Decimal,
        now: datetime,
        p: SalesPolicy,
    ) -> Invoice:
        """Invoice what is not invoiced yet (or ``amount``); ``credit`` is money already paid
        and not yet set against an invoice. Due ``net_days`` after the invoice date."""
        assert order.order_no and order.payment_terms
        uninvoiced = order.total - order.invoiced_total
        amount = money(uninvoiced if amount is None else amount)
        if amount <= 0 or amount > uninvoiced:
            raise InvalidChange("amount", f"must be > 0 and at most {uninvoiced}")
        issued_on = p.calendar.local_date(now)
        invoice = cls(
            invoice_id=invoice_id,
            invoice_no=invoice_no,
            order_id=order.order_id,
            order_no=order.order_no,
            amount=amount,
            currency=order.currency,
            issued_on=issued_on,
            due_date=issued_on + timedelta(days=order.payment_terms.net_days),
            late_fee_percent=order.payment_terms.late_fee_percent,
            paid_amount=min(amount, max(Decimal(0), credit)),
        )
        order.invoiced(amount)
        invoice.events.append(
            InvoiceIssued(
                order_id=order.order_id,
                order_no=order.order_no,
                invoice_id=invoice_id,
                invoice_no=invoice_no,
                amount=amount,
                currency=invoice.currency,
                issued_on=issued_on,
                due_date=invoice.due_date,
            )
        )
        invoice._set_dunning(p)
        return invoice

    def apply_payment(self, amount: Decimal, p: SalesPolicy) -> Decimal:
        """Set money against this invoice; returns what is left over."""
        used = min(amount, self.open_amount)
        self.paid_amount = money(self.paid_amount + used)
        self._set_dunning(p)
        return amount - used

    def _key(self, name: str) -> str:
        return f"invoice:{self.invoice_id}:{name}"

    def _set_dunning(self, p: SalesPolicy) -> None:
        """Reminder before due and collections after; moved when the open amount changes."""
        if self.paid:
            self.timers += [CancelTimer(self._key("reminder")), CancelTimer(self._key("overdue"))]
            return
        due_start = datetime.combine(self.due_date, time(0), tzinfo=p.calendar.tz)
        remind_at = due_start - p.reminder_before_due
        overdue_at = due_start + p.collections_after_due
        days = p.collections_after_due.days
        fee = (
            money(self.open_amount * self.late_fee_percent / 100) if self.late_fee_percent else None
        )
        common = {
            "order_id": self.order_id,
            "order_no": self.order_no,
            "invoice_id": self.invoice_id,
            "invoice_no": self.invoice_no,
            "amount_due": self.open_amount,
            "currency": self.currency,
            "due_date": self.due_date,
        }
        self.timers.append(
            ScheduleTimer(self._key("reminder"), remind_at, PaymentReminderSent(**common))
        )
        self.timers.append(
            ScheduleTimer(
                self._key("overdue"),
                overdue_at,
                PaymentOverdue(**common, days_overdue=days, late_fee=fee),
            )
        )
