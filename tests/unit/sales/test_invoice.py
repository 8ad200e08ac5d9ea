"""Invoices: due date from the terms, reminder 3 days before, collections 15 days after."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from contracts.events.sales import InvoiceIssued, PaymentOverdue, PaymentReminderSent
from services.sales.domain.errors import InvalidChange
from services.sales.domain.invoice import Invoice
from shared.aggregate import CancelTimer, ScheduleTimer
from tests.unit.sales.conftest import NOW, approve_reviews, customer, received


def _invoice(policy, credit="0", amount=None):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    return order, Invoice.issue(
        uuid.uuid4(), "INV202612-001", order, amount, Decimal(credit), NOW, policy
    )


def test_invoice_is_due_net_days_after_issue_with_reminder_and_collections(policy):
    order, inv = _invoice(policy)
    [issued] = [e for e in inv.events if isinstance(e, InvoiceIssued)]
    assert (issued.issued_on, issued.due_date) == (date(2026, 12, 2), date(2027, 1, 1))
    timers = {t.key.rsplit(":", 1)[1]: t for t in inv.timers if isinstance(t, ScheduleTimer)}
    # local midnight (UTC+8) of 29 Dec and of 16 Jan
    assert timers["reminder"].due_at == datetime(2026, 12, 28, 16, tzinfo=UTC)
    assert isinstance(timers["reminder"].message, PaymentReminderSent)
    overdue = timers["overdue"].message
    assert isinstance(overdue, PaymentOverdue)
    assert timers["overdue"].due_at == datetime(2027, 1, 15, 16, tzinfo=UTC)
    assert (overdue.days_overdue, overdue.late_fee) == (15, Decimal("30.00"))
    assert order.invoiced_total == Decimal("1500.00")


def test_partial_payment_moves_the_reminder_amount_and_full_payment_stops_dunning(policy):
    _, inv = _invoice(policy)
    inv.timers.clear()
    assert inv.apply_payment(Decimal("500"), policy) == 0
    reminder = next(t for t in inv.timers if isinstance(t, ScheduleTimer))
    assert reminder.message.amount_due == Decimal("1000.00")  # type: ignore[attr-defined]
    inv.timers.clear()
    assert inv.apply_payment(Decimal("1200"), policy) == Decimal("200")
    assert all(isinstance(t, CancelTimer) for t in inv.timers) and inv.paid


def test_money_paid_before_the_invoice_is_set_against_it(policy):
    _, inv = _invoice(policy, credit="1500")
    assert inv.paid
    assert not [t for t in inv.timers if isinstance(t, ScheduleTimer)]


def test_cannot_invoice_more_than_the_order(policy):
    with pytest.raises(InvalidChange):
        _invoice(policy, amount=Decimal("1600"))
