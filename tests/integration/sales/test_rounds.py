"""Approval deadline, review rounds and amendments of a released order, over HTTP and the bus."""

from __future__ import annotations

from datetime import timedelta

from contracts.enums import ReviewDepartment as D
from contracts.events.sales import OrderAmended, OrderConfirmed, OrderReviewRequested
from contracts.events.sla import OrderSlaBreached
from tests.harness import eventually
from tests.integration.sales.helpers import get, order_body, review, seed, status_becomes, submit


async def _released(sales, klass):
    customer = await seed(sales, klass)
    order = await submit(sales, order_body(customer))
    oid = order["order_id"]
    await review(sales, order, D.WAREHOUSE, review_round=1)
    await review(sales, order, D.PRODUCTION, review_round=1)
    if klass != "A":
        await status_becomes(sales, oid, "awaiting_signature")
        r = await sales.client.post(f"/orders/{oid}/signature", json={"signatory": "Mr Zhao"})
        assert r.status_code == 200, r.text
    await status_becomes(sales, oid, "released")
    return order


async def test_approval_not_decided_within_24_hours_is_a_breach(sales):
    customer = await seed(sales, "A")
    order = await submit(sales, order_body(customer, rush=True))
    oid = order["order_id"]
    await review(sales, order, D.WAREHOUSE)
    await review(sales, order, D.PRODUCTION)
    await status_becomes(sales, oid, "awaiting_approval")
    sales.clock.advance(timedelta(hours=24, seconds=1))
    await sales.runtime.scanner.fire_due()
    breaches = await sales.spy.wait_for(OrderSlaBreached, correlation_id=oid)
    assert [b.deadline for b in breaches] == ["approval"]
    assert "rush" in (breaches[0].details or "")


async def test_an_answer_of_an_earlier_round_is_recorded_but_does_not_decide(sales):
    customer = await seed(sales, "B")
    order = await submit(sales, order_body(customer))
    oid = order["order_id"]
    change = {"reference": "more-1", "lines": [{"line_no": 1, "quantity": 15}]}
    r = await sales.client.post(f"/orders/{oid}/amendments", json=change)
    assert r.json()["review_round"] == 2
    requests = await sales.spy.wait_for(OrderReviewRequested, count=2, correlation_id=oid)
    assert [q.review_round for q in requests] == [1, 2]
    # the answers to the first request (10 pieces) arrive after the amendment
    await review(sales, order, D.WAREHOUSE, review_round=1)
    await review(sales, order, D.PRODUCTION, review_round=1)

    async def both_recorded() -> bool:
        r = await sales.client.get(f"/orders/{oid}/review-answers")
        return [a["outcome"] for a in r.json()] == ["stale_round", "stale_round"]

    await eventually(both_recorded, timeout=10)
    assert (await get(sales, oid))["status"] == "in_review"
    await review(sales, order, D.WAREHOUSE, review_round=2)
    await review(sales, order, D.PRODUCTION, review_round=2)
    await status_becomes(sales, oid, "awaiting_signature")


async def test_amending_a_released_order_reviews_it_again_and_passes_the_gate_again(sales):
    order = await _released(sales, "B")
    oid = order["order_id"]
    change = {"reference": "less-1", "lines": [{"line_no": 1, "quantity": 4}]}
    r = await sales.client.post(f"/orders/{oid}/amendments", json=change)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["review_round"]) == ("in_review", 2)
    [amended] = await sales.spy.wait_for(OrderAmended, correlation_id=oid)
    assert amended.line_changes[0].new_quantity == 4
    await sales.spy.wait_for(OrderReviewRequested, count=2, correlation_id=oid)
    await review(sales, order, D.WAREHOUSE, review_round=2)
    await review(sales, order, D.PRODUCTION, review_round=2)
    # class B: the amended contract is released only on its own signature
    await status_becomes(sales, oid, "awaiting_signature")
    assert len(sales.spy.of(OrderConfirmed, oid)) == 1
    r = await sales.client.post(f"/orders/{oid}/signature", json={"signatory": "Mr Zhao"})
    assert r.json()["status"] == "released"
    confirmed = await sales.spy.wait_for(OrderConfirmed, count=2, correlation_id=oid)
    assert confirmed[-1].lines[0].quantity == 4


async def test_a_new_address_for_a_released_order_needs_no_review(sales):
    order = await _released(sales, "A")
    oid = order["order_id"]
    address = {"recipient": "Site office", "line1": "9 Dock Rd", "city": "Ningbo", "country": "CN"}
    change = {"reference": "addr-1", "delivery_address": address}
    r = await sales.client.post(f"/orders/{oid}/amendments", json=change)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["review_round"]) == ("released", 1)
    [amended] = await sales.spy.wait_for(OrderAmended, correlation_id=oid)
    assert amended.delivery_address is not None
    assert amended.delivery_address.recipient == "Site office"
