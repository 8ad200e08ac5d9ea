"""Intake: completeness, pending_info and completion, numbering, idempotent submission."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import text

from contracts.commands.sales import SubmitOrder
from contracts.events.outcomes import CommandAccepted
from contracts.events.sales import OrderInfoRequested, OrderReceived
from contracts.events.sla import OrderSlaBreached
from tests.harness import eventually, send
from tests.integration.sales.helpers import order_body, seed, submit


async def test_incomplete_order_is_kept_then_completed_and_numbered(sales):
    customer = await seed(sales, "B")
    body = order_body(customer, contact=None, requested_date=None)
    body["lines"][1]["spec"] = "similar to last time"
    order = await submit(sales, body)
    oid = order["order_id"]
    assert order["status"] == "pending_info"
    assert order["order_no"] is None
    assert order["missing_fields"] == ["contact", "lines[2].spec", "requested_date"]
    asked = await sales.spy.wait_for(OrderInfoRequested, correlation_id=oid)
    # Wed 10:00 + 1 business day: until the end of Thursday in Shanghai (002 二(一) 异常初步处理)
    assert asked[0].contact_deadline_at.isoformat() == "2026-12-03T15:59:59+00:00"

    r = await sales.client.post(
        f"/orders/{oid}/info", json={"contact": {"name": "Li Wei", "email": "li@example.cn"}}
    )
    assert r.json()["status"] == "pending_info"
    assert r.json()["missing_fields"] == ["lines[2].spec", "requested_date"]
    lines = [
        body["lines"][0],
        {"product_code": "P-200", "spec": "aluminium frame, 2 m", "quantity": 2},
    ]
    r = await sales.client.post(
        f"/orders/{oid}/info", json={"lines": lines, "requested_date": "2026-12-21"}
    )
    done = r.json()
    assert done["status"] == "in_review"
    assert done["order_no"].startswith("202612-")
    received = await sales.spy.wait_for(OrderReceived, correlation_id=oid)
    assert received[0].total_amount == 1500
    r = await sales.client.post(f"/orders/{oid}/info", json={"requested_date": "2026-12-22"})
    assert r.status_code == 409
    assert r.json()["state"] == "in_review"


async def test_customer_not_contacted_within_one_business_day_is_a_breach(sales):
    """002 二(一) 异常初步处理: 信息不全,需在1个工作日内联系客户补充 — the whole next business
    day, until it ends in Shanghai."""
    customer = await seed(sales, "B")
    pending = await submit(sales, order_body(customer, delivery_address=None))
    contacted = await submit(sales, order_body(customer, delivery_address=None))
    r = await sales.client.post(f"/orders/{contacted['order_id']}/customer-contacted")
    assert r.status_code == 200
    sales.clock.advance(timedelta(days=1, hours=13, minutes=58))  # Thursday 23:58
    await sales.runtime.scanner.fire_due()
    assert sales.spy.of(OrderSlaBreached, pending["order_id"]) == []
    sales.clock.advance(timedelta(minutes=2))  # Friday 00:00
    await sales.runtime.scanner.fire_due()
    breach = await sales.spy.wait_for(OrderSlaBreached, correlation_id=pending["order_id"])
    assert breach[0].deadline == "info_request"
    assert sales.spy.of(OrderSlaBreached, contacted["order_id"]) == []


async def test_same_reference_twice_is_one_order(sales):
    customer = await seed(sales, "A")
    body = order_body(customer)
    first = await sales.client.post("/orders", json=body)
    again = await sales.client.post("/orders", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["order_id"] == again.json()["order_id"]
    assert first.json()["order_no"] == again.json()["order_no"]


async def test_command_submission_is_idempotent_per_producer(sales):
    customer = await seed(sales, "A")
    body = order_body(customer)
    cmd = SubmitOrder.model_validate(body)
    ns = sales.runtime.settings.namespace
    for _ in range(2):
        await send(sales.channel, ns, cmd, correlation_id=cmd.client_reference, producer="webshop")

    async def count() -> int:
        async with sales.runtime.engine.connect() as conn:
            q = text("SELECT count(*) FROM customer_order WHERE client_reference = :r")
            return int((await conn.execute(q, {"r": cmd.client_reference})).scalar_one())

    received = await sales.spy.wait_for(OrderReceived)
    assert [e.client_reference for e in received] == [cmd.client_reference]

    async def both_handled() -> bool:
        handled = sales.runtime.metrics.registry.get_sample_value(
            "orderflow_messages_handled_total", {"handler": "sales.commands"}
        )
        return handled == 2

    await eventually(both_handled, timeout=10)
    assert await count() == 1
    assert len(sales.spy.of(OrderReceived)) == 1
    # the sender is told twice, the same thing: the order it created, by id and number
    answers = await sales.spy.wait_for(
        CommandAccepted, count=2, correlation_id=cmd.client_reference
    )
    [order] = sales.spy.of(OrderReceived)
    assert [a.repeated for a in answers] == [False, True]
    assert {a.created["order_no"] for a in answers} == {order.order_no}
    assert {a.created["order_id"] for a in answers} == {str(order.order_id)}


async def test_fifty_concurrent_submissions_over_two_replicas_get_unique_numbers(make_sales):
    sales = await make_sales(replicas=2)
    customer = await seed(sales, "A")
    ns = sales.runtime.settings.namespace
    bodies = [order_body(customer) for _ in range(50)]
    await asyncio.gather(
        *(
            send(sales.channel, ns, SubmitOrder.model_validate(b), correlation_id=str(uuid.uuid4()))
            for b in bodies
        )
    )
    received = await sales.spy.wait_for(OrderReceived, count=50, timeout=30)
    numbers = sorted(e.order_no for e in received)
    assert len(set(numbers)) == 50
    assert numbers == [f"202612-{n:03d}" for n in range(1, 51)]
    handled = [
        r.metrics.registry.get_sample_value(
            "orderflow_messages_handled_total", {"handler": "sales.commands"}
        )
        or 0
        for r in (sales.runtime, *sales.others)
    ]
    assert all(h > 0 for h in handled), f"one replica took no orders: {handled}"


async def test_numbers_grow_past_999(sales):
    customer = await seed(sales, "A")
    async with sales.runtime.engine.begin() as conn:
        await conn.execute(text("INSERT INTO number_counter (series, last) VALUES ('202612', 998)"))
    first = await submit(sales, order_body(customer))
    second = await submit(sales, order_body(customer))
    assert [first["order_no"], second["order_no"]] == ["202612-999", "202612-1000"]


async def test_concurrent_twins_over_http_make_one_order(sales):
    customer = await seed(sales, "A")
    body = order_body(customer)
    answers = await asyncio.gather(*(sales.client.post("/orders", json=body) for _ in range(5)))
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 200, 201]
    assert len({r.json()["order_id"] for r in answers}) == 1
    assert len({r.json()["order_no"] for r in answers}) == 1
