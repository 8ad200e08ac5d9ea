"""The order's path through sales to release: classes A, B and C, review, approval."""

from __future__ import annotations

from datetime import date

from contracts.enums import ReviewDepartment as D
from contracts.events.sales import (
    OrderConfirmationSent,
    OrderConfirmed,
    OrderReceived,
    OrderReviewed,
    OrderReviewRequested,
)
from tests.integration.sales.helpers import order_body, review, seed, status_becomes, submit


async def test_class_a_is_released_after_review_before_signature(sales):
    customer = await seed(sales, "A")
    order = await submit(sales, order_body(customer))
    assert order["status"] == "in_review"
    assert order["order_no"].startswith("202612-")
    oid = order["order_id"]
    await sales.spy.wait_for(OrderReviewRequested, correlation_id=oid)
    finance = await sales.spy.wait_for(OrderReviewed, correlation_id=oid)
    assert finance[0].department == D.FINANCE
    await review(sales, order, D.WAREHOUSE, earliest=date(2026, 12, 10))
    await review(sales, order, D.PRODUCTION, earliest=date(2026, 12, 28))
    released = await status_becomes(sales, oid, "released")
    assert released["promised_date"] == "2026-12-28"
    confirmed = await sales.spy.wait_for(OrderConfirmed, correlation_id=oid)
    assert confirmed[0].released_before_signature is True
    assert confirmed[0].promised_date == date(2026, 12, 28)
    assert len(sales.spy.of(OrderReceived, oid)) == 1
    assert len(sales.spy.of(OrderConfirmationSent, oid)) == 1
