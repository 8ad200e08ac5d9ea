"""The order's path through sales to release: classes A, B and C, review, approval."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from contracts.enums import ReviewDepartment as D
from contracts.enums import ReviewVerdict
from contracts.events.sales import (
    OrderConfirmationSent,
    OrderConfirmed,
    OrderReceived,
    OrderRejected,
    OrderReviewed,
    OrderReviewRequested,
)
from contracts.roles import Role
from tests.identity import ISSUER
from tests.integration.sales.helpers import (
    APPROVER,
    FINANCE,
    order_body,
    review,
    seed,
    status_becomes,
    submit,
)


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


async def _reviewed(sales, customer, **over):
    order = await submit(sales, order_body(customer, **over))
    await review(sales, order, D.WAREHOUSE, earliest=date(2026, 12, 10))
    await review(sales, order, D.PRODUCTION, earliest=date(2026, 12, 14))
    return order


async def test_class_b_waits_for_signature_then_releases(sales):
    customer = await seed(sales, "B")
    order = await _reviewed(sales, customer)
    oid = order["order_id"]
    waiting = await status_becomes(sales, oid, "awaiting_signature")
    assert waiting["promised_date"] == "2026-12-20"
    assert sales.spy.of(OrderConfirmed, oid) == []
    r = await sales.client.post(f"/orders/{oid}/signature", json={"signatory": "Mr Zhao"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "released"
    confirmed = await sales.spy.wait_for(OrderConfirmed, correlation_id=oid)
    assert confirmed[0].released_before_signature is False


async def test_class_c_waits_for_signature_and_deposit(sales):
    customer = await seed(sales, "C", deposit="30")
    order = await _reviewed(sales, customer)
    oid = order["order_id"]
    sent = await sales.spy.wait_for(OrderConfirmationSent, correlation_id=oid)
    # 10 x 100 + 2 x 250 = 1500; 30 % deposit
    assert sent[0].deposit_amount == 450
    await status_becomes(sales, oid, "awaiting_signature")
    r = await sales.client.post(f"/orders/{oid}/signature", json={"signatory": "Ms Qian"})
    assert r.json()["status"] == "awaiting_deposit"
    pay = {
        "reference": "bank-1",
        "payment_kind": "deposit",
        "amount": "200",
        "currency": "CNY",
        "received_on": "2026-12-02",
    }
    r = await sales.client.post(f"/orders/{oid}/payments", json=pay, headers=FINANCE)
    assert r.json()["status"] == "awaiting_deposit", "a partial deposit does not release"
    r = await sales.client.post(
        f"/orders/{oid}/payments",
        json={**pay, "reference": "bank-2", "amount": "250"},
        headers=FINANCE,
    )
    assert r.json()["status"] == "released"
    confirmed = await sales.spy.wait_for(OrderConfirmed, correlation_id=oid)
    assert confirmed[0].prepaid is True


async def test_a_back_dated_signature_is_kept_as_declared_and_the_date_moves_from_its_recording(
    sales,
):
    """003 客户订单下单流程: 如当日未收到《销售部客户订单确认书》回传的,则预订交货日期自动向后
    延期,次日下单后延一日. The letter went out Wed 2 Dec; the desk records the signed copy on
    Mon 7 Dec: Thu, Fri, Mon = 3 business days late, whatever date the customer wrote on it."""
    customer = await seed(sales, "B")
    order = await _reviewed(sales, customer)
    oid = order["order_id"]
    await status_becomes(sales, oid, "awaiting_signature")
    sales.clock.advance(timedelta(days=5, hours=1))
    signature = {"signatory": "Mr Zhao", "signed_on": "2026-12-08"}
    r = await sales.client.post(f"/orders/{oid}/signature", json=signature)
    assert (r.status_code, r.json()["field"]) == (422, "signed_on"), "not in the future"
    r = await sales.client.post(
        f"/orders/{oid}/signature", json={**signature, "signed_on": "2026-12-01"}
    )
    assert (r.status_code, r.json()["field"]) == (422, "signed_on"), "not before the letter"
    r = await sales.client.post(
        f"/orders/{oid}/signature", json={**signature, "signed_on": "2026-12-02"}
    )
    assert r.status_code == 200, r.text
    signed = r.json()
    assert (signed["signed_on"], signed["signed_by"]) == ("2026-12-02", "Mr Zhao")
    assert signed["signature_recorded_by"] == "Li"
    assert signed["signed_at"].startswith("2026-12-07T03:00")
    # promised Sun 20 Dec + 3 business days = Wed 23 Dec
    assert signed["promised_date"] == "2026-12-23"
    confirmed = await sales.spy.wait_for(OrderConfirmed, correlation_id=oid)
    assert confirmed[0].promised_date == date(2026, 12, 23)


async def test_negative_review_stops_the_order_with_the_reason(sales):
    customer = await seed(sales, "A")
    order = await submit(sales, order_body(customer))
    oid = order["order_id"]
    await review(sales, order, D.PRODUCTION, ReviewVerdict.REJECT, notes="no tooling for P-200")
    rejected = await sales.spy.wait_for(OrderRejected, correlation_id=oid)
    assert rejected[0].reason == "no tooling for P-200"
    assert rejected[0].department == D.PRODUCTION
    await status_becomes(sales, oid, "rejected")


async def test_over_threshold_needs_a_managers_approval(sales):
    customer = await seed(sales, "A")
    lines = [{"product_code": "P-200", "spec": "aluminium frame, 2 m", "quantity": 500}]
    order = await _reviewed(sales, customer, lines=lines)
    oid = order["order_id"]
    waiting = await status_becomes(sales, oid, "awaiting_approval")
    assert waiting["approval_reasons"] == ["over_amount_threshold"]
    assert sales.spy.of(OrderConfirmed, oid) == []
    sun = ISSUER.headers("Sun", Role.SALES_MANAGER)
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=sun)
    assert r.json()["status"] == "released"
    assert r.json()["approvals"][0]["approved_by"] == "Sun"
    # the same approval again (its answer lost on the way) changes nothing
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=sun)
    assert r.status_code == 200 and r.json()["status"] == "released"
    other = ISSUER.headers("Zhou", Role.SALES_MANAGER)
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=other)
    assert r.status_code == 409
    assert r.json()["state"] == "released"


async def test_rush_and_below_list_price_need_approval_and_a_rejection_stops_it(sales):
    customer = await seed(sales, "A")
    lines = [{"product_code": "P-100", "spec": "steel 40 mm", "quantity": 5, "unit_price": "90"}]
    order = await _reviewed(sales, customer, lines=lines, rush=True)
    oid = order["order_id"]
    waiting = await status_becomes(sales, oid, "awaiting_approval")
    assert set(waiting["approval_reasons"]) == {"rush", "below_list_price"}
    r = await sales.client.post(
        f"/orders/{oid}/reject", json={"reason": "price too low"}, headers=APPROVER
    )
    assert r.json()["status"] == "rejected"
    rejected = await sales.spy.wait_for(OrderRejected, correlation_id=oid)
    assert rejected[0].stage == "approval"


async def test_unknown_order_is_404_and_bad_input_names_the_field(sales):
    r = await sales.client.get(f"/orders/{uuid.uuid4()}")
    assert r.status_code == 404
    r = await sales.client.post("/orders", json={"channel": "web"})
    assert r.status_code == 422
    assert "client_reference" in [e["field"] for e in r.json()["errors"]]


async def test_list_filters_by_status_and_customer(sales):
    a = await seed(sales, "A")
    b = await seed(sales, "B")
    in_review = await submit(sales, order_body(a))
    pending = await submit(sales, order_body(b, contact=None))
    r = await sales.client.get("/orders", params={"status": "pending_info"})
    assert [o["order_id"] for o in r.json()] == [pending["order_id"]]
    r = await sales.client.get("/orders", params={"customer_id": a, "created_from": "2026-12-02"})
    assert [o["order_id"] for o in r.json()] == [in_review["order_id"]]
    r = await sales.client.get("/orders", params={"created_to": "2026-12-01"})
    assert r.json() == []
    r = await sales.client.get("/orders", params={"limit": 0})
    assert r.status_code == 422
    customers = (await sales.client.get("/customers")).json()
    assert {c["customer_id"] for c in customers} >= {a, b}
    prices = (await sales.client.get("/price-list")).json()
    assert {p["product_code"] for p in prices} == {"P-100", "P-200"}


async def test_openapi_lists_the_sales_endpoints(sales):
    paths = (await sales.client.get("/openapi.json")).json()["paths"]
    for path in (
        "/orders",
        "/orders/{ref}/info",
        "/orders/{ref}/approve",
        "/orders/{ref}/reject",
        "/orders/{ref}/signature",
        "/orders/{ref}/payments",
        "/orders/{ref}/amendments",
        "/orders/{ref}/cancel",
        "/orders/{ref}/invoices",
        "/customers",
        "/customer-changes/{change_id}/approve",
        "/price-list",
        "/exchange-rates/{currency}",
    ):
        assert path in paths
