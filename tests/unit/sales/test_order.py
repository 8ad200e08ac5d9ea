"""Review, approval, confirmation, the release gate, amendments, cancellation, completion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from contracts.enums import ApprovalReason, Initiator, ReviewDepartment, ReviewVerdict
from contracts.events.sales import (
    OrderAmended,
    OrderApprovalRequested,
    OrderCancelled,
    OrderCompleted,
    OrderConfirmationSent,
    OrderConfirmed,
    OrderDeliveryDateChanged,
    OrderRejected,
    OrderReviewed,
    OrderReviewRequested,
)
from services.sales.domain.approval import APPROVER_ROLES, Person
from services.sales.domain.errors import IllegalTransition, InvalidChange
from services.sales.domain.intake import DraftLine
from services.sales.domain.order import LineChange, OrderStatus, Review, ReviewOutcome
from shared.aggregate import CancelTimer, ScheduleTimer
from tests.unit.sales.conftest import BOSS, FREE, NOW, approve_reviews, customer, received

S = OrderStatus


def of(order, kind):
    return [e for e in order.events if isinstance(e, kind)]


def test_acceptance_requests_review_and_finance_answers_with_the_deposit(policy):
    order = received(customer("C", deposit="30"), policy)
    assert order.status == S.IN_REVIEW
    [req] = of(order, OrderReviewRequested)
    assert set(req.departments) == {"warehouse", "production", "finance"}
    assert req.review_due_at == NOW + timedelta(hours=24)
    [finance] = of(order, OrderReviewed)
    assert finance.department == ReviewDepartment.FINANCE
    assert finance.deposit_amount == Decimal("450.00")


def test_confirmation_promises_the_latest_date_the_reviews_allow(policy):
    order = received(customer("B"), policy)
    approve_reviews(order, policy, production=date(2026, 12, 24), warehouse=date(2026, 12, 5))
    [sent] = of(order, OrderConfirmationSent)
    assert sent.promised_date == date(2026, 12, 24)
    assert order.status == S.AWAITING_SIGNATURE
    assert CancelTimer(f"order:{order.order_id}:review") in order.timers


def test_requested_date_stands_when_the_reviews_allow_earlier(policy):
    order = received(customer("B"), policy)
    approve_reviews(order, policy, production=date(2026, 12, 10))
    assert order.promised_date == date(2026, 12, 20)


def test_confirmation_waits_for_every_department(policy):
    order = received(customer("A"), policy)
    order.record_review(Review(ReviewDepartment.WAREHOUSE, ReviewVerdict.APPROVE, NOW), NOW, policy)
    assert order.status == S.IN_REVIEW
    assert of(order, OrderConfirmationSent) == []


def test_negative_review_rejects_and_later_reviews_change_nothing(policy):
    order = received(customer("A"), policy)
    order.record_review(
        Review(ReviewDepartment.PRODUCTION, ReviewVerdict.REJECT, NOW, notes="no capacity"),
        NOW,
        policy,
    )
    [rejected] = of(order, OrderRejected)
    assert (rejected.reason, rejected.stage) == ("no capacity", "review")
    assert order.status == S.REJECTED
    approve_reviews(order, policy)
    assert order.status == S.REJECTED
    assert of(order, OrderConfirmed) == []


def test_a_repeated_review_is_ignored(policy):
    order = received(customer("A"), policy)
    review = Review(ReviewDepartment.WAREHOUSE, ReviewVerdict.APPROVE, NOW)
    assert order.record_review(review, NOW, policy) == ReviewOutcome.COUNTED
    assert order.record_review(review, NOW, policy) == ReviewOutcome.REPEATED


def test_class_a_is_released_before_signature_even_with_deposit_terms(policy):
    order = received(customer("A", deposit="30"), policy)
    approve_reviews(order, policy)
    [confirmed] = of(order, OrderConfirmed)
    assert confirmed.released_before_signature
    assert order.status == S.RELEASED


def test_class_b_needs_the_signature(policy):
    order = received(customer("B"), policy)
    approve_reviews(order, policy)
    assert order.status == S.AWAITING_SIGNATURE and of(order, OrderConfirmed) == []
    order.sign("Zhao", NOW, policy)
    assert order.status == S.RELEASED
    assert not of(order, OrderConfirmed)[0].released_before_signature


@pytest.mark.parametrize("klass", ["B", "C"])
def test_deposit_terms_hold_b_and_c_until_the_deposit_is_in(policy, klass):
    order = received(customer(klass, deposit="50"), policy)
    approve_reviews(order, policy)
    order.sign("Zhao", NOW, policy)
    assert order.status == S.AWAITING_DEPOSIT
    order.record_payment(Decimal("749.99"), True, NOW, policy)
    assert order.status == S.AWAITING_DEPOSIT
    order.record_payment(Decimal("0.01"), True, NOW, policy)
    assert order.status == S.RELEASED
    assert of(order, OrderConfirmed)[0].prepaid


def test_the_invoice_clock_starts_on_the_day_the_money_was_received(policy):
    """002 二(四) 发票开具 (在客户付款后3个工作日内开具增值税发票): a deposit received on Monday and
    recorded on Wednesday is to be invoiced within 3 business days of Monday, not of Wednesday;
    a value date after the recording (refused at the edge) would not move it later."""
    local = policy.calendar.local_date(NOW)
    received_on = local - timedelta(days=2)
    order = received(customer("C", deposit="50"), policy)
    approve_reviews(order, policy)
    order.record_payment(Decimal("750"), True, NOW, policy, received_on)
    start = datetime.combine(received_on, NOW.astimezone(policy.calendar.tz).timetz())
    assert order.invoice_due_at == policy.invoice.due(start, policy.calendar)
    assert order.invoice_due_at < policy.invoice.due(NOW, policy.calendar)
    later = received(customer("C", deposit="50"), policy)
    approve_reviews(later, policy)
    later.record_payment(Decimal("750"), True, NOW, policy, local + timedelta(days=5))
    assert later.invoice_due_at == policy.invoice.due(NOW, policy.calendar)


def test_deposit_before_signature_still_waits_for_the_signature(policy):
    order = received(customer("C", deposit="50"), policy)
    approve_reviews(order, policy)
    order.record_payment(Decimal("750"), True, NOW, policy)
    assert order.status == S.AWAITING_SIGNATURE


def test_the_same_signature_again_changes_nothing_and_another_is_refused(policy):
    order = received(customer("B"), policy)
    approve_reviews(order, policy)
    order.sign("Zhao", NOW, policy)
    promised, events = order.promised_date, len(order.events)
    order.sign("Zhao", NOW + timedelta(days=3), policy)  # its answer was lost
    assert (order.promised_date, len(order.events)) == (promised, events)
    with pytest.raises(IllegalTransition):
        order.sign("Qian", NOW, policy)


def test_class_a_signature_after_release_does_not_move_the_date(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    order.sign("Zhao", NOW + timedelta(days=6), policy)
    assert order.promised_date == date(2026, 12, 20)


@pytest.mark.parametrize(
    ("over", "exposure", "reason"),
    [
        ({"lines": [DraftLine("P-200", "frame", 50)]}, "0", ApprovalReason.OVER_AMOUNT_THRESHOLD),
        ({"rush": True}, "0", ApprovalReason.RUSH),
        (
            {"lines": [DraftLine("P-100", "steel", 1, Decimal("99"))]},
            "0",
            ApprovalReason.BELOW_LIST_PRICE,
        ),
        ({}, "999000", ApprovalReason.CREDIT_LIMIT),
    ],
)
def test_manager_approval_is_needed_for(policy, over, exposure, reason):
    order = received(customer("A"), policy, exposure=exposure, **over)
    [asked] = of(order, OrderApprovalRequested)
    assert asked.reasons == [reason]
    approve_reviews(order, policy)
    assert order.status == S.AWAITING_APPROVAL
    assert of(order, OrderConfirmed) == []
    order.approve(BOSS, None, NOW, policy)
    assert order.status == S.RELEASED
    # the same approval again (its answer lost on the way) releases nothing twice
    order.approve(BOSS, None, NOW, policy)
    assert len(of(order, OrderConfirmed)) == 1
    with pytest.raises(IllegalTransition):
        order.approve(Person("Qian", APPROVER_ROLES), None, NOW, policy)


def test_no_approval_needed_for_an_ordinary_order(policy):
    order = received(customer("A"), policy)
    assert of(order, OrderApprovalRequested) == []
    with pytest.raises(IllegalTransition):
        order.approve(BOSS, None, NOW, policy)


def test_manager_rejection_stops_the_order(policy):
    order = received(customer("A"), policy, rush=True)
    order.reject(BOSS, "cannot rush this month", policy)
    assert order.status == S.REJECTED
    assert of(order, OrderRejected)[0].stage == "approval"


def _awaiting_signature(policy, klass="B", deposit=None):
    order = received(customer(klass, deposit=deposit), policy)
    approve_reviews(order, policy)
    order.events.clear()
    order.timers.clear()
    return order


def test_more_quantity_before_release_is_reviewed_and_confirmed_again(policy):
    order = _awaiting_signature(policy)
    c = customer("B")
    order.amend([LineChange(1, 20)], None, None, Initiator.CUSTOMER, "more", c, FREE, NOW, policy)
    [amended] = of(order, OrderAmended)
    assert amended.line_changes[0].new_quantity == 20
    assert amended.total_amount == Decimal("2500.00")
    assert order.status == S.IN_REVIEW
    assert of(order, OrderReviewRequested)
    assert order.signed_at is None
    approve_reviews(order, policy)
    assert order.status == S.AWAITING_SIGNATURE, "the gate applies again: no bypass"


def test_amending_a_signed_order_cannot_bypass_the_deposit(policy):
    order = _awaiting_signature(policy, "C", deposit="50")
    order.sign("Zhao", NOW, policy)
    order.record_payment(Decimal("750"), True, NOW, policy)
    assert order.status == S.RELEASED
    order2 = _awaiting_signature(policy, "C", deposit="50")
    order2.sign("Zhao", NOW, policy)
    order2.record_payment(Decimal("750"), True, NOW, policy)
    assert order2.status == S.RELEASED
    # before release: raising the quantity re-reviews, then needs signature and a bigger deposit
    order3 = _awaiting_signature(policy, "C", deposit="50")
    order3.record_payment(Decimal("750"), True, NOW, policy)
    c = customer("C", deposit="50")
    order3.amend([LineChange(2, 4)], None, None, Initiator.CUSTOMER, None, c, FREE, NOW, policy)
    approve_reviews(order3, policy)
    order3.sign("Zhao", NOW, policy)
    assert order3.deposit_required == Decimal("1000.00")
    assert order3.status == S.AWAITING_DEPOSIT


def test_less_quantity_or_a_new_address_needs_no_new_review(policy):
    order = _awaiting_signature(policy)
    c = customer("B")
    order.amend([LineChange(1, 5)], None, None, Initiator.CUSTOMER, None, c, FREE, NOW, policy)
    assert order.status == S.AWAITING_SIGNATURE
    assert of(order, OrderReviewRequested) == []
    assert of(order, OrderAmended)[0].amendment_no == 1


def test_dropping_every_line_is_not_an_amendment(policy):
    order = _awaiting_signature(policy)
    c = customer("B")
    with pytest.raises(InvalidChange):
        order.amend(
            [LineChange(1, 0), LineChange(2, 0)],
            None,
            None,
            Initiator.CUSTOMER,
            None,
            c,
            FREE,
            NOW,
            policy,
        )


def test_a_dropped_line_keeps_the_other_line_numbers(policy):
    order = _awaiting_signature(policy)
    c = customer("B")
    order.amend([LineChange(1, 0)], None, None, Initiator.CUSTOMER, None, c, FREE, NOW, policy)
    assert [ln.line_no for ln in order.contract_lines()] == [2]


def test_amendment_and_cancellation_are_refused_after_dispatch(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    assert order.mark_shipped(NOW)
    with pytest.raises(IllegalTransition) as refused:
        order.cancel(Initiator.CUSTOMER, "changed mind", None)
    assert refused.value.status == "shipped"
    with pytest.raises(IllegalTransition):
        order.amend(
            [LineChange(1, 1)],
            None,
            None,
            Initiator.CUSTOMER,
            None,
            customer("A"),
            FREE,
            NOW,
            policy,
        )


def test_cancellation_before_dispatch_stops_every_deadline(policy):
    order = _awaiting_signature(policy)
    order.cancel(Initiator.CUSTOMER, "budget cut", "desk")
    [cancelled] = of(order, OrderCancelled)
    assert cancelled.reason == "budget cut"
    assert CancelTimer(f"order:{order.order_id}:signature") in order.timers
    order.cancel(Initiator.CUSTOMER, "budget cut", "desk")  # the same again: its answer lost
    assert len(of(order, OrderCancelled)) == 1
    with pytest.raises(IllegalTransition):
        order.cancel(Initiator.CUSTOMER, "again", None)


def test_payment_starts_the_invoice_deadline_of_three_business_days(policy):
    """002 二(四) 发票开具: 在客户付款后3个工作日内开具发票 — by the end of the third business
    day after the payment."""
    order = _awaiting_signature(policy, "C", deposit="50")
    friday = datetime(2026, 12, 4, 2, tzinfo=UTC)
    order.record_payment(Decimal("750"), True, friday, policy)
    [timer] = [t for t in order.timers if isinstance(t, ScheduleTimer)]
    assert timer.key.endswith(":invoice")
    # Mon, Tue, Wed: until Wednesday 23:59:59 in Shanghai
    assert timer.due_at == datetime(2026, 12, 9, 15, 59, 59, tzinfo=UTC)
    order.invoiced(Decimal("750"))
    assert CancelTimer(f"order:{order.order_id}:invoice") in order.timers


def test_delivered_and_paid_completes_on_time(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    delivered = datetime(2026, 12, 19, 20, tzinfo=UTC)  # 20 Dec 04:00 in Shanghai
    order.mark_delivered(delivered, delivered, policy)
    assert order.status == S.DELIVERED
    order.record_payment(Decimal("1500"), False, delivered, policy)
    [done] = of(order, OrderCompleted)
    assert done.on_time and order.status == S.COMPLETED


def test_delay_up_to_three_business_days_moves_the_date_at_once(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)  # promised Sun 20 Dec
    order.events.clear()
    assert order.delay_reported(date(2026, 12, 23), "material late", policy)
    [moved] = of(order, OrderDeliveryDateChanged)
    assert (moved.old_date, moved.new_date, moved.customer_consent) == (
        date(2026, 12, 20),
        date(2026, 12, 23),
        False,
    )
    assert order.promised_date == date(2026, 12, 23)


def test_longer_delay_waits_for_consent_and_a_remedy_plan(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    order.events.clear()
    assert order.delay_reported(date(2026, 12, 28), "machine down", policy)
    assert of(order, OrderDeliveryDateChanged) == []
    assert order.proposed_date == date(2026, 12, 28)
    with pytest.raises(InvalidChange) as refused:
        order.change_delivery_date(date(2026, 12, 28), "machine down", "Mr Zhao", None, policy)
    assert refused.value.field == "remedy_plan"
    order.change_delivery_date(
        date(2026, 12, 28), "machine down", "Mr Zhao", "5 % discount", policy
    )
    [moved] = of(order, OrderDeliveryDateChanged)
    assert moved.customer_consent and moved.remedy_plan == "5 % discount"
    assert order.promised_date == date(2026, 12, 28) and order.proposed_date is None


def test_an_earlier_date_is_not_a_delay(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    assert not order.delay_reported(date(2026, 12, 18), "early", policy)


def test_credit_note_counts_towards_settlement(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    order.mark_delivered(NOW, NOW, policy)
    order.record_payment(Decimal("1400"), False, NOW, policy)
    assert order.status == S.DELIVERED
    order.credited(Decimal("100"), NOW)
    assert order.status == S.COMPLETED


def test_free_replacement_needs_no_below_list_approval(policy):
    import uuid

    order = received(
        customer("A"),
        policy,
        original_order_id=uuid.uuid4(),
        lines=[DraftLine("P-100", "steel", 2, Decimal(0))],
    )
    assert of(order, OrderApprovalRequested) == []


def test_a_free_replacement_completes_on_delivery_with_nothing_to_pay(policy):
    import uuid

    order = received(
        customer("A"),
        policy,
        original_order_id=uuid.uuid4(),
        lines=[DraftLine("P-100", "steel", 2, Decimal(0))],
    )
    approve_reviews(order, policy)
    assert order.status == S.RELEASED
    order.mark_delivered(NOW, NOW, policy)
    assert order.status == S.COMPLETED
    [done] = of(order, OrderCompleted)
    assert done.paid_at == NOW


def test_a_free_replacement_takes_the_earliest_date_production_names(policy):
    import uuid

    order = received(
        customer("A"),
        policy,
        original_order_id=uuid.uuid4(),
        lines=[DraftLine("P-200", "frame", 2, Decimal(0))],
    )
    late = date(2027, 1, 15)
    order.record_review(
        Review(ReviewDepartment.PRODUCTION, ReviewVerdict.REJECT, NOW, late, "after the date"),
        NOW,
        policy,
    )
    order.record_review(Review(ReviewDepartment.WAREHOUSE, ReviewVerdict.APPROVE, NOW), NOW, policy)
    assert of(order, OrderRejected) == []
    assert (order.status, order.promised_date) == (S.RELEASED, late)


def test_a_free_replacement_nobody_can_make_is_still_turned_down(policy):
    import uuid

    order = received(
        customer("A"),
        policy,
        original_order_id=uuid.uuid4(),
        lines=[DraftLine("P-200", "frame", 2, Decimal(0))],
    )
    order.record_review(
        Review(ReviewDepartment.PRODUCTION, ReviewVerdict.REJECT, NOW, None, "no capacity"),
        NOW,
        policy,
    )
    assert order.status == S.REJECTED


def test_an_ordinary_order_production_cannot_make_in_time_is_turned_down(policy):
    order = received(customer("A"), policy)
    order.record_review(
        Review(ReviewDepartment.PRODUCTION, ReviewVerdict.REJECT, NOW, date(2027, 1, 15), "late"),
        NOW,
        policy,
    )
    assert order.status == S.REJECTED


def test_a_prepaid_order_completes_on_delivery_and_can_still_be_invoiced(policy):
    order = received(customer("A"), policy)
    approve_reviews(order, policy)
    order.record_payment(Decimal("1500"), False, NOW, policy)
    order.mark_delivered(NOW, NOW, policy)
    assert order.status == S.COMPLETED
    order.invoiced(Decimal("1500"))
    assert CancelTimer(f"order:{order.order_id}:invoice") in order.timers


def test_a_new_line_before_release_is_reviewed_again(policy):
    order = _awaiting_signature(policy)
    c = customer("B")
    new = DraftLine("P-100", "brass 20 mm", 4, Decimal("100"))
    order.amend([], None, None, Initiator.CUSTOMER, None, c, FREE, NOW, policy, [new])
    [amended] = of(order, OrderAmended)
    assert [(x.line_no, x.old_quantity, x.new_quantity) for x in amended.line_changes] == [
        (3, 0, 4)
    ]
    assert order.status == S.IN_REVIEW
    assert order.total == Decimal("1900.00")


def test_new_lines_need_a_real_spec_and_are_refused_after_release(policy):
    order = _awaiting_signature(policy)
    c = customer("B")
    vague = DraftLine("P-100", "same as last time", 4, Decimal("100"))
    with pytest.raises(InvalidChange) as refused:
        order.amend([], None, None, Initiator.CUSTOMER, None, c, FREE, NOW, policy, [vague])
    assert refused.value.field == "add_lines[1].spec"
    released = received(customer("A"), policy)
    approve_reviews(released, policy)
    new = DraftLine("P-100", "brass", 1, Decimal("100"))
    with pytest.raises(InvalidChange):
        released.amend(
            [], None, None, Initiator.CUSTOMER, None, customer("A"), FREE, NOW, policy, [new]
        )
