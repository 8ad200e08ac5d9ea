"""Reactions to the other departments: delays, review deadline, complaints, returns, exchanges."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from contracts.common import LineQuantity
from contracts.enums import ComplaintCategory, DelayCause, Resolution, Settlement, Severity
from contracts.enums import ReviewDepartment as D
from contracts.events.customer_service import (
    ComplaintOpened,
    ComplaintResolved,
    ReturnAuthorized,
    ReturnSettlementRequested,
    SettlementLine,
)
from contracts.events.production import ProductionDelayed
from contracts.events.sales import CreditNoteIssued, OrderDeliveryDateChanged, OrderReceived
from contracts.events.sla import OrderSlaBreached
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


async def _released(sales, klass="A"):
    customer = await seed(sales, klass)
    order = await submit(sales, order_body(customer))
    await review(sales, order, D.WAREHOUSE)
    await review(sales, order, D.PRODUCTION)
    await status_becomes(sales, order["order_id"], "released")
    return order


async def test_review_not_finished_in_24_hours_is_a_breach(sales):
    customer = await seed(sales, "A")
    order = await submit(sales, order_body(customer))
    oid = order["order_id"]
    await review(sales, order, D.WAREHOUSE)
    sales.clock.advance(timedelta(hours=24, seconds=1))
    await sales.runtime.scanner.fire_due()
    [breach] = await sales.spy.wait_for(OrderSlaBreached, correlation_id=oid)
    assert breach.deadline == "review"


async def test_short_production_delay_moves_the_date_long_one_waits_for_consent(sales):
    order = await _released(sales)
    oid = order["order_id"]
    ns = sales.runtime.settings.namespace

    def delayed(new: date) -> ProductionDelayed:
        return ProductionDelayed(
            order_id=uuid.UUID(oid),
            order_no=order["order_no"],
            new_date=new,
            cause=DelayCause.MATERIAL,
            reason="steel late",
        )

    await send(
        sales.channel, ns, delayed(date(2026, 12, 22)), correlation_id=oid, producer="production"
    )
    [moved] = await sales.spy.wait_for(OrderDeliveryDateChanged, correlation_id=oid)
    assert (moved.new_date, moved.customer_consent) == (date(2026, 12, 22), False)
    await send(
        sales.channel, ns, delayed(date(2027, 1, 8)), correlation_id=oid, producer="production"
    )

    async def proposed() -> bool:
        return (await get(sales, oid))["proposed_date"] == "2027-01-08"

    await eventually(proposed, timeout=10)
    r = await sales.client.post(
        f"/orders/{oid}/delivery-date", json={"new_date": "2027-01-08", "reason": "steel late"}
    )
    assert r.status_code == 422
    r = await sales.client.post(
        f"/orders/{oid}/delivery-date",
        json={
            "new_date": "2027-01-08",
            "reason": "steel late",
            "consenting_contact": "Mr Zhao",
            "remedy_plan": "free freight",
        },
    )
    assert r.json()["promised_date"] == "2027-01-08"
    moves = await sales.spy.wait_for(OrderDeliveryDateChanged, count=2, correlation_id=oid)
    assert moves[-1].customer_consent


async def test_price_allowance_becomes_a_credit_note_and_refund_when_paid(sales):
    order = await _released(sales)
    oid = order["order_id"]
    ns = sales.runtime.settings.namespace
    await sales.client.post(f"/orders/{oid}/invoices", json={}, headers=FINANCE)
    pay = {
        "reference": "bank-77",
        "payment_kind": "invoice",
        "amount": "1500",
        "currency": "CNY",
        "received_on": "2026-12-02",
    }
    paid = await sales.client.post(f"/orders/{oid}/payments", json=pay, headers=FINANCE)
    assert paid.status_code == 200, paid.text
    complaint_id = uuid.uuid4()
    common = {"complaint_id": complaint_id, "complaint_no": "202612-T001"}
    now = sales.clock.now()
    opened = ComplaintOpened(
        **common,
        customer_id="x",
        channel="phone",
        category=ComplaintCategory.QUALITY,
        severity=Severity.LOW,
        description="scratches",
        order_id=uuid.UUID(oid),
        order_no=order["order_no"],
        assignment_due_at=now,
        resolution_due_at=now,
    )
    resolved = ComplaintResolved(
        **common,
        resolution=Resolution.DISCOUNT,
        summary="10 % off",
        discount_amount=Decimal("150"),
        currency="CNY",
        within_sla=True,
    )
    await send(
        sales.channel, ns, opened, correlation_id=str(complaint_id), producer="customer_service"
    )
    await eventually(lambda: _linked(sales, complaint_id), timeout=10)
    for _ in range(2):
        await send(
            sales.channel,
            ns,
            resolved,
            correlation_id=str(complaint_id),
            producer="customer_service",
        )

    async def credited() -> bool:
        return (await get(sales, oid))["credited_total"] == "150.00"

    await eventually(credited, timeout=10)
    notes = (await sales.client.get(f"/orders/{oid}/credit-notes")).json()
    assert [(n["amount"], n["refund_amount"]) for n in notes] == [("150.00", "150.00")]
    [issued] = await sales.spy.wait_for(CreditNoteIssued, correlation_id=oid, timeout=10)
    [invoice] = (await sales.client.get(f"/orders/{oid}/invoices")).json()
    assert issued.credit_note_no == notes[0]["credit_note_no"]
    assert (issued.order_no, issued.invoice_no) == (order["order_no"], invoice["invoice_no"])
    assert (issued.amount, issued.refund_amount, issued.currency) == (150, 150, "CNY")
    assert "202612-T001" in issued.reason


async def _linked(sales, complaint_id) -> bool:
    from sqlalchemy import text

    async with sales.runtime.engine.connect() as conn:
        q = text("SELECT count(*) FROM complaint_link WHERE complaint_id = :c")
        return int((await conn.execute(q, {"c": complaint_id})).scalar_one()) == 1


async def _handled(sales, event_id) -> bool:
    """The event was handled: its inbox row commits with the handler's effects."""
    from sqlalchemy import text

    async with sales.runtime.engine.connect() as conn:
        q = text("SELECT count(*) FROM inbox_message WHERE event_id = :e")
        return int((await conn.execute(q, {"e": event_id})).scalar_one()) >= 1


async def _replacements(sales, oid) -> int:
    from sqlalchemy import text

    async with sales.runtime.engine.connect() as conn:
        q = text("SELECT count(*) FROM customer_order WHERE original_order_id = :o")
        return int((await conn.execute(q, {"o": uuid.UUID(oid)})).scalar_one())


def _settlement(order, settlement, *lines, return_id=None):
    return ReturnSettlementRequested(
        return_id=return_id or uuid.uuid4(),
        rma_no="RMA-1",
        order_id=uuid.UUID(order["order_id"]),
        order_no=order["order_no"],
        settlement=settlement,
        lines=list(lines),
        reason="return RMA-1 inspected: bent frame",
    )


async def test_exchange_becomes_a_free_replacement_order_linked_to_the_original(sales):
    order = await _released(sales)
    oid = order["order_id"]
    ns = sales.runtime.settings.namespace
    event = _settlement(
        order,
        Settlement.REPLACEMENT,
        SettlementLine(line_no=2, product_code="P-200", quantity=1, restocked=False),
    )
    for _ in range(2):  # a request sent again orders no second replacement
        sent = await send(sales.channel, ns, event, correlation_id=oid, producer="customer_service")
    received = await sales.spy.wait_for(OrderReceived, count=2)
    await eventually(lambda: _handled(sales, sent.event_id), timeout=10)
    [replacement] = [e for e in received if e.original_order_id is not None]
    assert replacement.original_order_id == uuid.UUID(oid)
    assert replacement.total_amount == 0
    assert replacement.lines[0].spec == "aluminium frame, 2 m"
    assert replacement.lines[0].quantity == 1
    today = sales.runtime.calendar.local_date(sales.clock.now())
    assert (replacement.requested_date - today).days >= 5, "a date the reviews can meet"
    assert replacement.delivery_address.city == ADDRESS["city"], "sent where the original went"
    assert (await get(sales, str(replacement.order_id)))["status"] == "in_review"
    assert (await sales.client.get(f"/orders/{oid}/credit-notes")).json() == []
    assert await _replacements(sales, oid) == 1


async def test_refund_credits_the_accepted_goods_restocked_or_not(sales):
    order = await _released(sales)
    oid = order["order_id"]
    await sales.client.post(f"/orders/{oid}/invoices", json={}, headers=FINANCE)
    event = _settlement(
        order,
        Settlement.REFUND,
        SettlementLine(line_no=1, product_code="P-100", quantity=3, restocked=True),
        # No order line given: the first line of the product is taken.
        SettlementLine(product_code="P-200", quantity=1, restocked=False),
    )
    for _ in range(2):  # a request sent again credits nothing more
        sent = await send(
            sales.channel, sales.runtime.settings.namespace, event, correlation_id=oid
        )

    async def credited() -> bool:
        return (await get(sales, oid))["credited_total"] == "550.00"

    await eventually(credited, timeout=10)
    await eventually(lambda: _handled(sales, sent.event_id), timeout=10)
    assert (await get(sales, oid))["credited_total"] == "550.00"
    [note] = (await sales.client.get(f"/orders/{oid}/credit-notes")).json()
    assert note["refund_amount"] is None, "nothing was paid yet: the invoice is reduced instead"
    [invoice] = (await sales.client.get(f"/orders/{oid}/invoices")).json()
    assert invoice["open_amount"] == "950.00"
    [issued] = await sales.spy.wait_for(CreditNoteIssued, correlation_id=oid, timeout=10)
    assert (issued.amount, issued.refund_amount) == (550, 0)
    assert (
        issued.invoice_no == invoice["invoice_no"]
        and issued.credit_note_no == note["credit_note_no"]
    )
    assert not [e for e in sales.spy.of(OrderReceived) if e.original_order_id is not None]


async def test_an_authorised_return_settles_nothing_before_the_inspection(sales):
    order = await _released(sales)
    oid = order["order_id"]
    await sales.client.post(f"/orders/{oid}/invoices", json={}, headers=FINANCE)
    authorized = ReturnAuthorized(
        return_id=uuid.uuid4(),
        rma_no="RMA-3",
        order_id=uuid.UUID(oid),
        order_no=order["order_no"],
        lines=[LineQuantity(line_no=2, product_code="P-200", quantity=1)],
        pickup_address=ADDRESS,
        exchange=True,
        reason="bent frame",
    )
    await send(sales.channel, sales.runtime.settings.namespace, authorized, correlation_id=oid)
    # Marker: a later refund for the same order is seen, the authorisation left no trace.
    refund = _settlement(
        order,
        Settlement.REFUND,
        SettlementLine(line_no=1, product_code="P-100", quantity=1, restocked=True),
    )
    await send(sales.channel, sales.runtime.settings.namespace, refund, correlation_id=oid)
    await sales.spy.wait_for(CreditNoteIssued, correlation_id=oid, timeout=10)
    assert (await get(sales, oid))["credited_total"] == "100.00"
    assert not [e for e in sales.spy.of(OrderReceived) if e.original_order_id is not None]
    bindings = {route.binding for route in sales.runtime.routes}
    assert "return.settlement_requested" in bindings and "return.authorized" not in bindings
