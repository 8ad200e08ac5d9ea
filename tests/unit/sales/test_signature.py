"""The signature: recorded by the server (who and when); the date the customer declares is kept
as declared, within bounds, and the promised date moves from when the signature was recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from contracts.events.sales import OrderSigned
from services.sales.domain.errors import IllegalTransition, InvalidChange
from tests.unit.sales.conftest import NOW, approve_reviews, customer, received


def _letter_out(policy):
    order = received(customer("B"), policy)
    approve_reviews(order, policy)  # the letter goes out Wed 2 Dec, promising Sun 20 Dec
    order.events.clear()
    return order


def test_a_back_dated_signature_is_stored_as_declared_and_the_shift_follows_the_recording(policy):
    """003 客户订单下单流程: 如当日未收到《销售部客户订单确认书》回传的,则预订交货日期自动向后
    延期,次日下单后延一日. The letter went out Wed 2 Dec; the desk records the signed copy on
    Mon 7 Dec (3 business days late) while the customer wrote 2 Dec on it: the date is kept as
    written, the promise moves 3 business days (Sun 20 -> Wed 23 Dec)."""
    order = _letter_out(policy)
    recorded = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    order.sign("Li", recorded, policy, signatory="Mr Zhao", signed_on=date(2026, 12, 2))
    assert order.signed_on == date(2026, 12, 2)
    assert (order.signed_at, order.signature_recorded_by) == (recorded, "Li")
    assert order.promised_date == date(2026, 12, 23)
    [signed] = [e for e in order.events if isinstance(e, OrderSigned)]
    assert (signed.signed_by, signed.signed_at) == ("Mr Zhao", recorded)


def test_a_declared_date_in_the_future_or_before_the_letter_is_refused(policy):
    order = _letter_out(policy)
    with pytest.raises(InvalidChange) as future:
        order.sign("Li", NOW, policy, signed_on=date(2026, 12, 3))
    assert future.value.field == "signed_on"
    with pytest.raises(InvalidChange) as early:
        order.sign("Li", NOW, policy, signed_on=date(2026, 12, 1))
    assert "before the letter" in early.value.detail
    assert order.signed_at is None, "nothing recorded"


def test_without_a_declared_date_the_recording_day_is_kept(policy):
    order = _letter_out(policy)
    order.sign("Qin", NOW, policy)
    # the order's contact signs for the customer unless the letter names someone else
    assert (order.signed_on, order.signed_by, order.signature_recorded_by) == (
        date(2026, 12, 2),
        "Li",
        "Qin",
    )


def test_the_same_person_recording_again_changes_nothing_someone_else_is_refused(policy):
    order = _letter_out(policy)
    order.sign("Li", NOW, policy, signatory="Mr Zhao")
    order.sign("Li", NOW, policy, signatory="Mr Zhao")
    assert len([e for e in order.events if isinstance(e, OrderSigned)]) == 1
    with pytest.raises(IllegalTransition):
        order.sign("Qian", NOW, policy)
