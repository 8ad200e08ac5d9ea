"""Money: deposits, invoices after payment, reminders and collections on an advanced clock,
completion when delivered and paid."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from contracts.commands.sales import RecordPayment
from contracts.enums import PaymentKind
from contracts.enums import ReviewDepartment as D
from contracts.events.logistics import GoodsDelivered, GoodsShipped
from contracts.events.sales import (
    InvoiceIssued,
    OrderCompleted,
    PaymentOverdue,
    PaymentReceived,
    PaymentReminderSent,
)
from contracts.events.sla import PaymentSlaBreached
from tests.harness import eventually, send
from tests.integration.sales.helpers import (
    ADDRESS,
    FINANCE,
    get,
    order_body,
    review,
    seed,
    status_becomes,
    submit,
)


async def _released_a(sales):
    customer = await seed(sales, "A")
    order = await submit(sales, order_body(customer))
    await review(sales, order, D.WAREHOUSE)
    await review(sales, order, D.PRODUCTION)
    await status_becomes(sales, order["order_id"], "released")
    return order


def _pay(reference: str, amount: str, kind: str = "invoice", **over):
    return {
        "reference": reference,
        "payment_kind": kind,
        "amount": amount,
        "currency": "CNY",
        "received_on": "2026-12-02",
        **over,
    }


async def test_invoice_after_payment_is_due_within_three_business_days(sales):
    order = await _released_a(sales)
    late = await _released_a(sales)
    for o in (order, late):
        r = await sales.client.post(
            f"/orders/{o['order_id']}/payments",
            json=_pay("b-" + o["order_id"], "500", "deposit"),
            headers=FINANCE,
        )
        assert r.status_code == 200, r.text
    r = await sales.client.post(f"/orders/{order['order_id']}/invoices", json={}, headers=FINANCE)
    assert r.status_code == 201, r.text
    invoice = r.json()
    assert (invoice["amount"], invoice["paid_amount"]) == ("1500.00", "500.00")
    # Wed + 3 business days (Thu, Fri, Mon): until Monday ends in Shanghai (002 二(四) 发票开具)
    sales.clock.advance(timedelta(days=5, hours=13, minutes=58))  # Monday 23:58
    await sales.runtime.scanner.fire_due()
    assert sales.spy.of(PaymentSlaBreached, order["order_id"]) == []
    assert sales.spy.of(PaymentSlaBreached, late["order_id"]) == []
    sales.clock.advance(timedelta(minutes=2))
    await sales.runtime.scanner.fire_due()
    breach = await sales.spy.wait_for(PaymentSlaBreached, correlation_id=late["order_id"])
    assert breach[0].deadline == "invoice"
    assert sales.spy.of(PaymentSlaBreached, order["order_id"]) == []


async def test_the_same_invoice_request_again_gets_the_same_invoice(sales):
    order = await _released_a(sales)
    path = f"/orders/{order['order_id']}/invoices"
    r = await sales.client.post(path, json={"amount": "500", "reference": "dep-1"}, headers=FINANCE)
    assert r.status_code == 201, r.text
    again = await sales.client.post(
        path, json={"amount": "500", "reference": "dep-1"}, headers=FINANCE
    )
    assert again.status_code == 201 and again.json()["invoice_id"] == r.json()["invoice_id"]
    listed = await sales.client.get(path)
    assert [(i["amount"], i["reference"]) for i in listed.json()] == [("500.00", "dep-1")]
    other = await sales.client.post(path, json={"reference": "rest-1"}, headers=FINANCE)
    assert other.status_code == 201 and other.json()["amount"] == "1000.00"
    issued = await sales.spy.wait_for(InvoiceIssued, 2, correlation_id=order["order_id"])
    assert [i.amount for i in issued] == [Decimal("500.00"), Decimal("1000.00")]


async def test_reminder_before_due_then_collections_with_late_fee(sales):
    order = await _released_a(sales)
    oid = order["order_id"]
    r = await sales.client.post(f"/orders/{oid}/invoices", json={}, headers=FINANCE)
    invoice = r.json()
    assert invoice["due_date"] == "2027-01-01"
    sales.clock.advance(timedelta(days=26, hours=14, minutes=1))  # 29 Dec 00:01 Shanghai
    await sales.runtime.scanner.fire_due()
    reminder = await sales.spy.wait_for(PaymentReminderSent, correlation_id=oid)
    assert reminder[0].amount_due == Decimal("1500.00")
    assert sales.spy.of(PaymentOverdue, oid) == []
    sales.clock.advance(timedelta(days=18))
    await sales.runtime.scanner.fire_due()
    overdue = await sales.spy.wait_for(PaymentOverdue, correlation_id=oid)
    assert overdue[0].days_overdue == 15
    assert overdue[0].late_fee == Decimal("30.00")


async def test_paid_invoice_gets_no_reminder(sales):
    order = await _released_a(sales)
    oid = order["order_id"]
    inv = (await sales.client.post(f"/orders/{oid}/invoices", json={}, headers=FINANCE)).json()
    r = await sales.client.post(
        f"/orders/{oid}/payments",
        json=_pay("bank-9", "1500", invoice_no=inv["invoice_no"]),
        headers=FINANCE,
    )
    assert r.json()["paid_total"] == "1500.00"
    sales.clock.advance(timedelta(days=60))
    await sales.runtime.scanner.fire_due()
    await sales.spy.wait_for(PaymentReceived, correlation_id=oid)
    assert sales.spy.of(PaymentReminderSent, oid) == []
    assert sales.spy.of(PaymentOverdue, oid) == []


async def test_delivered_then_paid_by_command_completes_the_order(sales):
    order = await _released_a(sales)
    oid = order["order_id"]
    ns = sales.runtime.settings.namespace
    shipment = {
        "shipment_id": uuid.uuid4(),
        "order_id": uuid.UUID(oid),
        "order_no": order["order_no"],
        "carrier": "SF",
        "tracking_no": "SF1",
    }
    await send(
        sales.channel,
        ns,
        GoodsShipped(
            **shipment,
            eta=sales.clock.now().date(),
            package_count=1,
            total_weight_kg=Decimal("12"),
            delivery_address=ADDRESS,
        ),
        correlation_id=oid,
        producer="logistics",
    )
    await status_becomes(sales, oid, "shipped")
    r = await sales.client.post(f"/orders/{oid}/cancel", json={"reason": "too late"})
    assert r.status_code == 409
    assert r.json()["state"] == "shipped"
    await send(
        sales.channel,
        ns,
        GoodsDelivered(
            **shipment, signed_by="Gate", signed_at=sales.clock.now(), proof_ref="POD-1"
        ),
        correlation_id=oid,
        producer="logistics",
    )
    await status_becomes(sales, oid, "delivered")
    [invoice] = await sales.spy.wait_for(InvoiceIssued, correlation_id=oid)
    pay = RecordPayment(
        order_id=uuid.UUID(oid),
        client_reference="bank-42",
        payment_kind=PaymentKind.INVOICE,
        amount=Decimal("1500"),
        currency="CNY",
        received_on=sales.clock.now().date(),
        invoice_no=invoice.invoice_no,
    )
    for _ in range(2):
        await send(sales.channel, ns, pay, correlation_id=oid, producer="finance")
    [done] = await sales.spy.wait_for(OrderCompleted, correlation_id=oid)
    assert done.on_time
    await status_becomes(sales, oid, "completed")
    payments = sales.spy.of(PaymentReceived, oid)
    assert len(payments) == 1 and payments[0].fully_paid


async def test_delivery_reported_before_shipment_still_counts(sales):
    order = await _released_a(sales)
    oid = order["order_id"]
    delivered = GoodsDelivered(
        shipment_id=uuid.uuid4(),
        order_id=uuid.UUID(oid),
        order_no=order["order_no"],
        carrier="SF",
        tracking_no="SF2",
        signed_by="Gate",
        signed_at=sales.clock.now(),
        proof_ref="POD-2",
    )
    ns = sales.runtime.settings.namespace
    await send(sales.channel, ns, delivered, correlation_id=oid, producer="logistics")
    await status_becomes(sales, oid, "delivered")
    late_shipped = GoodsShipped(
        shipment_id=delivered.shipment_id,
        order_id=uuid.UUID(oid),
        order_no=order["order_no"],
        carrier="SF",
        tracking_no="SF2",
        eta=sales.clock.now().date(),
        package_count=1,
        total_weight_kg=Decimal("3"),
        delivery_address=ADDRESS,
    )
    await send(sales.channel, ns, late_shipped, correlation_id=oid, producer="logistics")

    async def shipped_handled() -> bool:
        registry = sales.runtime.metrics.registry
        sample = {"handler": "sales.goods.shipped"}
        return registry.get_sample_value("orderflow_messages_handled_total", sample) == 1

    await eventually(shipped_handled, timeout=10)
    assert (await get(sales, oid))["status"] == "delivered", "a late 'shipped' does not go back"
    await sales.spy.wait_for(InvoiceIssued, correlation_id=oid)
    r = await sales.client.post(
        f"/orders/{oid}/payments", json=_pay("bank-x", "1500"), headers=FINANCE
    )
    assert r.json()["status"] == "completed"


async def test_a_payment_sent_again_after_completion_gets_the_same_answer(sales):
    """A bank reference is recorded once: finance sending the same payment again, even after it
    completed the order, is answered as the first time (nothing recorded twice, no 409 for the
    state the first one caused); the same reference with another amount is refused, naming the
    reference."""
    order = await _released_a(sales)
    oid = order["order_id"]
    shipment = {
        "shipment_id": uuid.uuid4(),
        "order_id": uuid.UUID(oid),
        "order_no": order["order_no"],
        "carrier": "SF",
        "tracking_no": "SF3",
    }
    delivered = GoodsDelivered(
        **shipment, signed_by="Gate", signed_at=sales.clock.now(), proof_ref="POD-3"
    )
    ns = sales.runtime.settings.namespace
    await send(sales.channel, ns, delivered, correlation_id=oid, producer="logistics")
    await sales.spy.wait_for(InvoiceIssued, correlation_id=oid)
    path = f"/orders/{oid}/payments"
    first = await sales.client.post(path, json=_pay("bank-y", "1500"), headers=FINANCE)
    assert first.status_code == 200 and first.json()["status"] == "completed", first.text
    again = await sales.client.post(path, json=_pay("bank-y", "1500.00"), headers=FINANCE)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "completed"
    other = await sales.client.post(path, json=_pay("bank-y", "1400"), headers=FINANCE)
    assert other.status_code == 409, other.text
    assert (other.json()["field"], other.json()["state"]) == ("reference", "reference_used")
    assert "amount" in other.json()["detail"]
    assert len(sales.spy.of(PaymentReceived, oid)) == 1
    paid = await sales.client.get(f"/orders/{oid}/invoices", headers=FINANCE)
    assert [i["paid_amount"] for i in paid.json()] == ["1500.00"]


async def test_a_payment_received_in_the_future_or_years_ago_is_refused_naming_the_date(sales):
    """The invoice clock counts from the value date (002 二(四) 发票开具: 在客户付款后3个工作日内),
    so the date is bounded: not after today, not more than a year back."""
    order = await _released_a(sales)
    path = f"/orders/{order['order_id']}/payments"
    for when in ("2027-06-01", "2020-01-01"):
        r = await sales.client.post(
            path, json=_pay(f"bank-{when}", "100", received_on=when), headers=FINANCE
        )
        assert r.status_code == 422, r.text
        assert r.json()["field"] == "received_on"
    assert sales.spy.of(PaymentReceived, order["order_id"]) == []
