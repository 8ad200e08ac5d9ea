"""Who may do what at the sales desk, against the real broker and database: money only by
finance, the approval matrix in the base currency, four eyes, and the audit trail naming them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text

from contracts.commands.sales import RecordPayment, SubmitOrder
from contracts.enums import PaymentKind
from contracts.enums import ReviewDepartment as D
from contracts.events.outcomes import CommandRejected, RejectionCode
from contracts.events.sales import OrderApproved, OrderConfirmed, PaymentReceived
from contracts.roles import Role
from shared import deadletters
from tests.harness import eventually, send
from tests.identity import ISSUER
from tests.integration.sales.conftest import Sales
from tests.integration.sales.helpers import (
    FINANCE,
    MASTER_DATA,
    order_body,
    review,
    seed,
    status_becomes,
    submit,
)

SALES_MANAGER = ISSUER.headers("Zhou", Role.SALES_MANAGER)
GENERAL_MANAGER = ISSUER.headers("Wang", Role.GENERAL_MANAGER)
PRODUCTION_VP = ISSUER.headers("Wu", Role.PRODUCTION_VP)
FRAMES = {"product_code": "P-200", "spec": "aluminium frame, 2 m"}


async def _reviewed(sales: Sales, customer: str, headers=None, **over) -> dict:
    r = await sales.client.post("/orders", json=order_body(customer, **over), headers=headers)
    assert r.status_code == 201, r.text
    order = r.json()
    await review(sales, order, D.WAREHOUSE)
    await review(sales, order, D.PRODUCTION)
    return order


def _commands_dlq(sales: Sales) -> str:
    [queue] = [r.queue for r in sales.runtime.routes if r.queue.endswith("sales.commands")]
    return sales.runtime.topology.dead_letter_queue(queue)


async def _dead_letters(sales: Sales, count: int) -> list[deadletters.DeadLetter]:
    url, dlq = sales.runtime.settings.amqp_url, _commands_dlq(sales)

    async def arrived() -> bool:
        return len(await deadletters.list_dead_letters(url, dlq)) >= count

    await eventually(arrived, timeout=15)
    return await deadletters.list_dead_letters(url, dlq)


async def test_a_deposit_recorded_by_anyone_but_finance_is_refused(sales):
    """003 客户订单下单流程: B/C customers' goods are released once 财务确认是否到款 (finance
    confirms the money arrived); a desk clerk's or a manager's deposit releases nothing."""
    customer = await seed(sales, "C", deposit="30")
    order = await _reviewed(sales, customer)
    oid = order["order_id"]
    await status_becomes(sales, oid, "awaiting_signature")
    await sales.client.post(f"/orders/{oid}/signature", json={"signatory": "Ms Qian"})
    deposit = {
        "reference": "bank-d1",
        "payment_kind": "deposit",
        "amount": "450",
        "currency": "CNY",
        "received_on": "2026-12-02",
    }
    for someone in (None, SALES_MANAGER, GENERAL_MANAGER):  # None: the client, at the desk
        r = await sales.client.post(f"/orders/{oid}/payments", json=deposit, headers=someone)
        assert r.status_code == 403, r.text
        assert r.json()["roles"] == ["finance"]
    assert (await status_becomes(sales, oid, "awaiting_deposit"))["deposit_paid"] == "0.00"
    r = await sales.client.post(f"/orders/{oid}/payments", json=deposit, headers=FINANCE)
    assert r.json()["status"] == "released"


async def test_a_payment_command_from_a_system_other_than_finance_is_refused(sales):
    """003: only finance confirms money; a departmental system other than finance's
    (``SALES_PAYMENT_SYSTEMS``) cannot record it through the command queue either: it is
    answered with a refusal and records nothing."""
    customer = await seed(sales, "A")
    order = await _reviewed(sales, customer)
    oid = order["order_id"]
    await status_becomes(sales, oid, "released")
    ns = sales.runtime.settings.namespace

    def pay(reference: str) -> RecordPayment:
        return RecordPayment(
            order_id=uuid.UUID(oid),
            client_reference=reference,
            payment_kind=PaymentKind.INVOICE,
            amount=Decimal("100"),
            currency="CNY",
            received_on=sales.clock.now().date(),
        )

    await send(sales.channel, ns, pay("web-1"), correlation_id=oid, producer="webshop")
    [refused] = await sales.spy.wait_for(CommandRejected, correlation_id=oid)
    assert refused.reason_code == RejectionCode.FORBIDDEN
    assert "only finance records payments" in refused.reason and refused.sender == "webshop"
    await send(sales.channel, ns, pay("fin-1"), correlation_id=oid, producer="finance")
    [received] = await sales.spy.wait_for(PaymentReceived, correlation_id=oid)
    assert received.reference == "fin-1"


async def test_a_usd_order_is_approved_by_its_value_in_cny(sales):
    """000 订单审批制度 (重要的订单需要经过高层领导的审批) judged in the base currency: USD 90,000
    at 7.1 is CNY 639,000, over the CNY 100,000 threshold and above the sales manager's band
    (CNY 500,000): the general manager approves it."""
    customer = await seed(sales, "A")
    r = await sales.client.put("/exchange-rates/USD", json={"rate": "7.1"}, headers=MASTER_DATA)
    assert r.status_code == 200, r.text
    lines = [{**FRAMES, "quantity": 1000, "unit_price": "90"}]
    order = await _reviewed(sales, customer, lines=lines, currency="USD")
    oid = order["order_id"]
    assert (order["total_amount"], order["base_total"]) == ("90000.00", "639000.00")
    waiting = await status_becomes(sales, oid, "awaiting_approval")
    assert waiting["approvals"] == [
        {
            "rule": "over_amount_threshold",
            "roles": ["general_manager"],
            "approved_by": None,
            "approved_as": None,
            "approved_at": None,
        }
    ]
    refused = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=SALES_MANAGER)
    assert refused.status_code == 403
    assert refused.json()["roles"] == ["general_manager"]
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=GENERAL_MANAGER)
    assert r.json()["status"] == "released"
    [approved] = await sales.spy.wait_for(OrderApproved, correlation_id=oid)
    assert approved.approved_by == "Wang"


async def test_an_order_in_a_currency_without_a_rate_is_refused(sales):
    """Thresholds are in the base currency: an amount that cannot be converted cannot be
    judged, so the order is refused naming the field, and nothing is stored; by the command
    queue the sender is answered with the refusal and its field."""
    customer = await seed(sales, "A")
    body = order_body(customer, currency="JPY")
    r = await sales.client.post("/orders", json=body)
    assert r.status_code == 422
    assert r.json()["field"] == "currency"
    assert "PUT /exchange-rates/JPY" in r.json()["detail"]
    edi = order_body(customer, currency="JPY")
    ns = sales.runtime.settings.namespace
    await send(sales.channel, ns, SubmitOrder.model_validate(edi), correlation_id="edi-jpy")
    [refused] = await sales.spy.wait_for(CommandRejected, correlation_id="edi-jpy")
    assert refused.reason_code == RejectionCode.INVALID and refused.field == "currency"
    assert "no exchange rate from JPY" in refused.reason
    async with sales.runtime.engine.connect() as conn:
        stored = await conn.execute(
            text("SELECT count(*) FROM customer_order WHERE currency = 'JPY'")
        )
        assert stored.scalar_one() == 0


async def test_nobody_approves_an_order_they_entered(sales):
    """Four eyes (DESIGN, Identity and authority: nobody approves their own order): Li enters a
    large order at the desk and also holds the sales manager's role; Li's approval is refused,
    another manager's taken, and the audit trail names both."""
    customer = await seed(sales, "A")
    li = ISSUER.headers("Li", Role.SALES_DESK, Role.SALES_MANAGER)
    lines = [{**FRAMES, "quantity": 500}]  # CNY 125,000
    order = await _reviewed(sales, customer, headers=li, lines=lines)
    oid = order["order_id"]
    assert order["entered_by"] == "Li"
    await status_becomes(sales, oid, "awaiting_approval")
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=li)
    assert r.status_code == 403
    assert "four eyes" in r.json()["detail"]
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=SALES_MANAGER)
    assert r.json()["status"] == "released"
    trail = (await sales.client.get("/audit", params={"order": oid})).json()
    assert [(e["actor"]["name"], e["action"]) for e in trail] == [
        ("Li", "POST /orders"),
        ("Zhou", "POST /orders/{ref}/approve"),
    ]


async def test_a_large_rush_order_waits_for_each_approver(sales):
    """000 订单审批制度 and 000 南昌 第六条(三) (紧急订单须经主管生产副总意见): the sales manager's
    approval covers the amount, the production VP's the rush; the order goes on after both."""
    customer = await seed(sales, "A")
    order = await _reviewed(sales, customer, lines=[{**FRAMES, "quantity": 500}], rush=True)
    oid = order["order_id"]
    await status_becomes(sales, oid, "awaiting_approval")
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=SALES_MANAGER)
    assert r.json()["status"] == "awaiting_approval"
    covered = {a["rule"]: a["approved_by"] for a in r.json()["approvals"]}
    assert covered == {"over_amount_threshold": "Zhou", "rush": None}
    r = await sales.client.post(f"/orders/{oid}/approve", json={}, headers=PRODUCTION_VP)
    assert r.json()["status"] == "released"
    await sales.spy.wait_for(OrderConfirmed, correlation_id=oid)
    assert len(sales.spy.of(OrderApproved, oid)) == 1


async def test_each_door_needs_its_role(sales):
    """Deny by default: the desk does not approve, set prices or change customers; a department
    that has no business with customers does not read them."""
    customer = await seed(sales, "A")
    order = await submit(sales, order_body(customer, rush=True))
    oid = order["order_id"]
    r = await sales.client.post(f"/orders/{oid}/approve", json={})
    assert r.status_code == 403 and "production_vp" in r.json()["roles"]
    r = await sales.client.post("/price-list", json={"product_code": "P-1", "unit_price": "1"})
    assert (r.status_code, r.json()["roles"]) == (403, ["master_data"])
    r = await sales.client.post(
        "/price-list",
        json={"product_code": "P-1", "unit_price": "1"},
        headers=SALES_MANAGER,
    )
    assert r.status_code == 403
    r = await sales.client.get("/customers", headers=ISSUER.headers("Tang", Role.WAREHOUSE))
    assert r.status_code == 403
    r = await sales.client.post(f"/orders/{oid}/invoices", json={})
    assert (r.status_code, r.json()["roles"]) == (403, ["finance"])
