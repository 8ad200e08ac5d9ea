"""The approval deadline, review rounds, and amendments of an order already released."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from contracts.common import Address
from contracts.enums import Deadline, Initiator, ReviewDepartment, ReviewVerdict
from contracts.events.sales import (
    OrderAmended,
    OrderCancelled,
    OrderConfirmationSent,
    OrderConfirmed,
    OrderRejected,
    OrderReviewed,
    OrderReviewRequested,
)
from contracts.events.sla import OrderSlaBreached
from services.sales.domain.intake import DraftLine
from services.sales.domain.order import LineChange, Order, OrderStatus, Review, ReviewOutcome
from shared.aggregate import CancelTimer, ScheduleTimer
from shared.calendar import DeadlineRule
from tests.unit.sales.conftest import BOSS, FREE, NOW, approve_reviews, customer, received

S = OrderStatus
W, P = ReviewDepartment.WAREHOUSE, ReviewDepartment.PRODUCTION


def of(order, kind):
    return [e for e in order.events if isinstance(e, kind)]


def timer(order: Order, name: str) -> ScheduleTimer:
    [t] = [
        t
        for t in order.timers
        if isinstance(t, ScheduleTimer) and t.key == f"order:{order.order_id}:{name}"
    ]
    return t


def cancelled(order: Order, name: str) -> bool:
    return CancelTimer(f"order:{order.order_id}:{name}") in order.timers


def answer(dept, round_no, verdict=ReviewVerdict.APPROVE, earliest=None, notes=None):
    return Review(dept, verdict, NOW, earliest, notes, None, round_no)


def amend(order, policy, klass="A", lines=(), when=None, address=None, deposit=None):
    order.amend(
        [LineChange(no, qty) for no, qty in lines],
        when,
        address,
        Initiator.CUSTOMER,
        "customer asked",
        customer(klass, deposit=deposit),
        FREE,
        NOW,
        policy,
    )


def released(policy, klass="A", deposit=None) -> Order:
    order = received(customer(klass, deposit=deposit), policy)
    approve_reviews(order, policy)
    if klass != "A":
        order.sign("Zhao", NOW, policy)
        if order.deposit_required:
            order.record_payment(order.deposit_required, True, NOW, policy)
    assert order.status == S.RELEASED
    order.events.clear()
    order.timers.clear()
    return order


# --- approval deadline --------------------------------------------------------------------


@pytest.mark.parametrize(
    "over",
    [
        {"lines": [DraftLine("P-200", "frame", 50)]},
        {"rush": True},
        {"lines": [DraftLine("P-100", "steel", 1, Decimal("99"))]},
    ],
    ids=["over_amount", "rush", "below_list"],
)
def test_approval_request_starts_a_deadline_whose_breach_is_an_event(policy, over):
    order = received(customer("A"), policy, **over)
    t = timer(order, "approval")
    assert t.due_at == NOW + timedelta(hours=24)
    assert isinstance(t.message, OrderSlaBreached)
    assert t.message.deadline == Deadline.APPROVAL
    assert t.message.order_id == order.order_id


def test_an_ordinary_order_has_no_approval_deadline(policy):
    order = received(customer("A"), policy)
    assert not [
        t for t in order.timers if isinstance(t, ScheduleTimer) and t.key.endswith(":approval")
    ]


def test_approving_or_rejecting_stops_the_approval_deadline(policy):
    approved = received(customer("A"), policy, rush=True)
    approved.approve(BOSS, None, NOW, policy)
    assert cancelled(approved, "approval")
    rejected = received(customer("A"), policy, rush=True)
    rejected.reject(BOSS, "not this month", policy)
    assert cancelled(rejected, "approval")
    withdrawn = received(customer("A"), policy, rush=True)
    withdrawn.cancel(Initiator.CUSTOMER, "changed plans", None)
    assert cancelled(withdrawn, "approval")


def test_approval_deadline_length_is_configuration(policy):
    one_day = replace(policy, approval=DeadlineRule.parse("1bd"))
    friday = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    order = received(customer("A"), policy, rush=True)
    order.timers.clear()
    order.status = S.NEW
    order.accept("202612-002", customer("A"), FREE, friday, one_day)
    # one business day after Friday 10:00 ends with Monday (23:59:59 in Shanghai)
    assert timer(order, "approval").due_at == datetime(2026, 12, 7, 15, 59, 59, tzinfo=UTC)


# --- review rounds --------------------------------------------------------------------------


def test_each_review_request_opens_a_round_finance_answers_in_it(policy):
    order = received(customer("B"), policy)
    [first] = of(order, OrderReviewRequested)
    assert first.review_round == 1
    assert of(order, OrderReviewed)[0].review_round == 1
    approve_reviews(order, policy)
    order.events.clear()
    amend(order, policy, "B", lines=[(1, 20)])
    [second] = of(order, OrderReviewRequested)
    assert second.review_round == order.review_round == 2
    assert of(order, OrderReviewed)[0].review_round == 2


def test_an_answer_from_an_earlier_round_does_not_decide_the_order(policy):
    order = received(customer("B"), policy)
    amend(order, policy, "B", lines=[(1, 20)])
    assert order.review_round == 2
    for dept in (W, P):
        assert order.record_review(answer(dept, 1), NOW, policy) == ReviewOutcome.STALE_ROUND
    assert order.status == S.IN_REVIEW
    assert of(order, OrderConfirmationSent) == []
    for dept in (W, P):
        assert order.record_review(answer(dept, 2), NOW, policy) == ReviewOutcome.COUNTED
    assert order.status == S.AWAITING_SIGNATURE


def test_a_rejection_from_an_earlier_round_rejects_nothing(policy):
    order = received(customer("B"), policy)
    amend(order, policy, "B", lines=[(1, 20)])
    stale = answer(P, 1, ReviewVerdict.REJECT, notes="no capacity for 10")
    assert order.record_review(stale, NOW, policy) == ReviewOutcome.STALE_ROUND
    assert order.status == S.IN_REVIEW
    assert of(order, OrderRejected) == []


def test_an_answer_without_a_round_counts_for_the_current_one(policy):
    order = received(customer("B"), policy)
    review = Review(W, ReviewVerdict.APPROVE, NOW)
    assert order.record_review(review, NOW, policy) == ReviewOutcome.COUNTED
    assert order.reviews[W].review_round == 1


# --- amendments of a released order --------------------------------------------------------


def test_released_quantity_change_is_reviewed_again_then_released_again(policy):
    order = released(policy, "A")
    amend(order, policy, lines=[(1, 5)])
    [amended] = of(order, OrderAmended)
    assert amended.line_changes[0].new_quantity == 5
    [again] = of(order, OrderReviewRequested)
    assert again.review_round == 2
    assert {ln.quantity for ln in again.lines} == {5, 2}
    assert order.status == S.IN_REVIEW
    assert of(order, OrderConfirmed) == []
    approve_reviews(order, policy, production=date(2026, 12, 28))
    [letter] = of(order, OrderConfirmationSent)
    [confirmed] = of(order, OrderConfirmed)
    assert letter.promised_date == confirmed.promised_date == date(2026, 12, 28)
    # the departments that missed the amendment can tell this confirmation includes it
    assert confirmed.amendment_no == amended.amendment_no == 1
    assert order.status == S.RELEASED


def test_released_date_change_is_reviewed_again(policy):
    order = released(policy, "A")
    amend(order, policy, when=date(2026, 12, 30))
    assert of(order, OrderReviewRequested)[0].requested_date == date(2026, 12, 30)
    assert order.status == S.IN_REVIEW


def test_released_address_change_needs_no_review_and_stays_released(policy):
    order = released(policy, "B")
    new = Address(recipient="Site office", line1="9 Dock Rd", city="Ningbo")
    amend(order, policy, "B", address=new)
    assert of(order, OrderAmended)[0].delivery_address == new
    assert of(order, OrderReviewRequested) == []
    assert order.status == S.RELEASED


def test_released_class_c_amendment_waits_for_new_signature_and_deposit_top_up(policy):
    order = released(policy, "C", deposit="50")
    assert order.deposit_paid == Decimal("750.00")
    amend(order, policy, "C", lines=[(2, 4)], deposit="50")
    approve_reviews(order, policy)
    assert order.status == S.AWAITING_SIGNATURE, "no release on the old signature"
    order.sign("Zhao", NOW, policy)
    assert order.deposit_required == Decimal("1000.00")
    assert order.status == S.AWAITING_DEPOSIT, "no release without the bigger deposit"
    assert of(order, OrderConfirmed) == []
    order.record_payment(Decimal("250"), True, NOW, policy)
    assert order.status == S.RELEASED
    assert of(order, OrderConfirmed)[0].lines[1].quantity == 4


def test_released_order_turned_down_in_review_again_is_cancelled_everywhere(policy):
    order = released(policy, "A")
    amend(order, policy, lines=[(1, 500)])
    refused = answer(P, 2, ReviewVerdict.REJECT, notes="no capacity for 500")
    assert order.record_review(refused, NOW, policy) == ReviewOutcome.COUNTED
    assert order.status == S.REJECTED
    assert of(order, OrderRejected)[0].reason == "no capacity for 500"
    [cancel] = of(order, OrderCancelled)
    assert cancel.initiated_by == Initiator.COMPANY


def test_released_order_amended_past_what_production_can_meet_takes_its_earliest_date(policy):
    order = released(policy, "B")
    amend(order, policy, "B", lines=[(1, 50)])
    late = date(2027, 2, 26)
    order.record_review(answer(P, 2, ReviewVerdict.REJECT, late, "after the date"), NOW, policy)
    order.record_review(answer(W, 2), NOW, policy)
    assert of(order, OrderRejected) == []
    assert order.status == S.AWAITING_SIGNATURE, "the customer signs the new letter"
    assert of(order, OrderConfirmationSent)[0].promised_date == late


def test_goods_leaving_during_the_review_again_end_it(policy):
    order = released(policy, "B")
    amend(order, policy, "B", lines=[(1, 5)])
    assert order.mark_shipped(NOW)
    assert order.status == S.SHIPPED
    assert cancelled(order, "review") and cancelled(order, "signature")


def test_a_never_released_order_does_not_ship(policy):
    order = received(customer("B"), policy)
    assert not order.mark_shipped(NOW)
    assert order.status == S.IN_REVIEW
