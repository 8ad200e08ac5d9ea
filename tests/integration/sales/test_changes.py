"""Amendments and cancellation, through HTTP and the command queue."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.commands.sales import AmendOrder, CancelOrder, LineQuantityUpdate, SignConfirmation
from contracts.enums import ReviewDepartment as D
from contracts.events.sales import (
    OrderAmended,
    OrderCancelled,
    OrderConfirmed,
    OrderReviewRequested,
    OrderSigned,
)
from tests.harness import send
from tests.integration.sales.helpers import get, order_body, review, seed, status_becomes, submit


async def _awaiting_signature(sales, klass="B"):
    customer = await seed(sales, klass)
    order = await submit(sales, order_body(customer))
    await review(sales, order, D.WAREHOUSE)
    await review(sales, order, D.PRODUCTION)
    await status_becomes(sales, order["order_id"], "awaiting_signature")
    return order


async def test_amendment_with_more_goods_is_reviewed_again_and_applied_once(sales):
    order = await _awaiting_signature(sales)
    oid = order["order_id"]
    change = {"reference": "chg-1", "lines": [{"line_no": 1, "quantity": 15}], "reason": "more"}
    r = await sales.client.post(f"/orders/{oid}/amendments", json=change)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "in_review"
    assert r.json()["total_amount"] == "2000.00"
    assert r.json()["amended_by"] == ["Li"], "the signed-in person: never its approver"
    again = await sales.client.post(f"/orders/{oid}/amendments", json=change)
    assert again.json()["amendment_count"] == 1
    amended = await sales.spy.wait_for(OrderAmended, correlation_id=oid)
    assert amended[0].line_changes[0].old_quantity == 10
    requested = await sales.spy.wait_for(OrderReviewRequested, count=2, correlation_id=oid)
    assert requested[-1].total_amount == 2000
    assert len(sales.spy.of(OrderAmended, oid)) == 1


async def test_amendment_by_command_and_bad_line_is_422(sales):
    order = await _awaiting_signature(sales)
    oid = order["order_id"]
    r = await sales.client.post(
        f"/orders/{oid}/amendments",
        json={"reference": "bad", "lines": [{"line_no": 9, "quantity": 1}]},
    )
    assert r.status_code == 422
    cmd = AmendOrder(
        order_no=order["order_no"],
        client_reference="edi-77",
        lines=[LineQuantityUpdate(line_no=2, quantity=1)],
        requested_date=date(2026, 12, 22),
    )
    await send(sales.channel, sales.runtime.settings.namespace, cmd, correlation_id=oid)
    amended = await sales.spy.wait_for(OrderAmended, correlation_id=oid)
    assert amended[0].requested_date == date(2026, 12, 22)
    assert amended[0].total_amount == 1250


async def test_cancellation_with_reason_and_refused_after_dispatch(sales):
    order = await _awaiting_signature(sales)
    oid = order["order_id"]
    r = await sales.client.post(f"/orders/{oid}/cancel", json={"reason": "project stopped"})
    assert r.json()["status"] == "cancelled"
    cancelled = await sales.spy.wait_for(OrderCancelled, correlation_id=oid)
    assert cancelled[0].reason == "project stopped"
    r = await sales.client.post(f"/orders/{oid}/cancel", json={"reason": "again"})
    assert r.status_code == 409
    assert r.json()["state"] == "cancelled"


async def test_cancel_and_sign_by_command(sales):
    signed = await _awaiting_signature(sales)
    ns = sales.runtime.settings.namespace
    sign = SignConfirmation(
        order_id=uuid.UUID(signed["order_id"]), signed_by="EDI", signed_at=sales.clock.now()
    )
    await send(sales.channel, ns, sign, correlation_id=signed["order_id"])
    [signature] = await sales.spy.wait_for(OrderSigned, correlation_id=signed["order_id"])
    assert signature.signed_by == "EDI", "on behalf of the person the command names"
    await sales.spy.wait_for(OrderConfirmed, correlation_id=signed["order_id"])
    recorded = await get(sales, signed["order_id"])
    assert recorded["signature_recorded_by"] == "test", "the sending system recorded it"
    other = await _awaiting_signature(sales)
    cancel = CancelOrder(order_no=other["order_no"], reason="duplicate order")
    await send(sales.channel, ns, cancel, correlation_id=other["order_id"])
    await sales.spy.wait_for(OrderCancelled, correlation_id=other["order_id"])
    await status_becomes(sales, other["order_id"], "cancelled")


async def test_added_line_is_priced_from_the_list_and_reviewed(sales):
    order = await _awaiting_signature(sales)
    oid = order["order_id"]
    change = {
        "reference": "chg-add",
        "add_lines": [{"product_code": "P-200", "spec": "steel frame, 3 m", "quantity": 2}],
    }
    r = await sales.client.post(f"/orders/{oid}/amendments", json=change)
    assert r.status_code == 200, r.text
    assert r.json()["lines"][2]["unit_price"] == "250.00"
    assert r.json()["status"] == "in_review"
    [amended] = await sales.spy.wait_for(OrderAmended, correlation_id=oid)
    assert amended.total_amount == 2000
