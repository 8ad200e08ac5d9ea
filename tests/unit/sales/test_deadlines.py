"""Deadlines as the policy words them: business days skip weekends and holidays and count
make-up working days; hours are calendar time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from contracts.events.sales import OrderConfirmationSent, OrderInfoRequested, OrderSigned
from shared.aggregate import ScheduleTimer
from tests.unit.sales.conftest import (
    FREE,
    PRICES,
    approve_reviews,
    customer,
    new_order,
    received,
)


def _at(y: int, m: int, d: int, h: int = 2) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=UTC)  # 10:00 in Shanghai


def _end_of(y: int, m: int, d: int) -> datetime:
    """The last second of that day in Shanghai: "within N business days" ends there."""
    return datetime(y, m, d, 15, 59, 59, tzinfo=UTC)


def test_info_request_deadline_over_a_weekend(policy):
    """002 二(一) 异常初步处理: 信息不全,需在1个工作日内联系客户 — by the end of the next
    business day, whatever the hour the order came in."""
    order = new_order(contact=None)
    order.check_completeness(customer(), {}, date(2026, 12, 4))
    friday = _at(2026, 12, 4, 9)  # Fri 17:00 Shanghai
    order.hold_for_info(friday, policy)
    [asked] = [e for e in order.events if isinstance(e, OrderInfoRequested)]
    assert asked.contact_deadline_at == _end_of(2026, 12, 7)  # the end of Monday
    [timer] = [t for t in order.timers if isinstance(t, ScheduleTimer)]
    assert timer.key.endswith(":info_request") and timer.due_at == asked.contact_deadline_at


def test_info_request_deadline_over_national_day(policy):
    order = new_order(contact=None)
    order.check_completeness(customer(), {}, date(2026, 9, 30))
    order.hold_for_info(_at(2026, 9, 30), policy)  # Wed before the 1-7 Oct holiday
    [asked] = [e for e in order.events if isinstance(e, OrderInfoRequested)]
    assert asked.contact_deadline_at == _end_of(2026, 10, 8)


def test_signature_deadline_counts_the_make_up_saturday(policy):
    order = received(
        customer("B"), policy, today=date(2026, 10, 9), requested_date=date(2026, 10, 30)
    )
    approve_reviews(order, policy, at=_at(2026, 10, 9))  # Fri 9 Oct
    [sent] = [e for e in order.events if isinstance(e, OrderConfirmationSent)]
    # Sat 10 Oct is a make-up working day: 2 business days after Fri end with Mon 12 Oct
    # (002 二(二) 订单确认函发送: 要求客户在2个工作日内书面确认)
    assert sent.signature_due_at == _end_of(2026, 10, 12)


def test_signature_over_the_make_up_weekend_moves_the_date_two_business_days(policy):
    order = received(
        customer("B"), policy, today=date(2026, 10, 9), requested_date=date(2026, 10, 30)
    )
    approve_reviews(order, policy, at=_at(2026, 10, 9))
    order.sign("Zhao", _at(2026, 10, 12), policy)  # Sat 10 (working) and Mon 12
    [signed] = [e for e in order.events if isinstance(e, OrderSigned)]
    assert signed.promised_date == date(2026, 11, 3)  # Fri 30 Oct + 2 business days


def test_signature_the_same_day_keeps_the_date(policy):
    order = received(customer("B"), policy)
    approve_reviews(order, policy)
    order.sign("Zhao", _at(2026, 12, 2, 9), policy)
    assert order.promised_date == date(2026, 12, 20)


def test_signature_after_a_weekend_moves_the_date_one_business_day(policy):
    order = received(customer("B"), policy, requested_date=date(2026, 12, 21))
    approve_reviews(order, policy, at=_at(2026, 12, 4))  # Fri
    order.sign("Zhao", _at(2026, 12, 7), policy)  # Mon
    assert order.promised_date == date(2026, 12, 22)


def test_review_deadline_is_24_calendar_hours(policy):
    friday = _at(2026, 12, 4)
    order = new_order()
    order.check_completeness(customer(), PRICES, date(2026, 12, 4))
    order.accept("202612-001", customer(), FREE, friday, policy)
    [review] = [t for t in order.timers if isinstance(t, ScheduleTimer) and "review" in t.key]
    assert review.due_at == _at(2026, 12, 5)  # Saturday: hours do not skip weekends
