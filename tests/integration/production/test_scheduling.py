"""Scheduling on the warehouse's shortfall, rush orders, cancellation (amendments: test_demand)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text

from contracts.enums import DelayCause, Initiator
from contracts.events.production import ProductionCancelled, ProductionDelayed, ProductionScheduled
from contracts.events.sales import OrderCancelled
from tests.harness import eventually, send
from tests.integration.production.builders import (
    confirm_with_shortfall,
    confirmed,
    line,
    order_no,
    reserved,
    seed_line,
    seed_product,
)


async def _scheduled(spy, order_id, count: int = 1) -> list[ProductionScheduled]:
    return await spy.wait_for(ProductionScheduled, count, correlation_id=str(order_id), timeout=15)


async def test_confirmed_order_shortfall_is_scheduled_with_planned_finish(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    lines = [line(1, "P-100", 40), line(2, "P-100", 5)]
    # The warehouse's reservation arrives before the confirmation: still scheduled once.
    order_id, number = await confirm_with_shortfall(
        amqp_channel,
        ns,
        lines,
        date(2026, 12, 31),
        on_hand={1: 15, 2: 5},
        reserved_first=True,
    )
    (scheduled,) = await _scheduled(spy, order_id)
    assert scheduled.order_no == number
    (wo,) = scheduled.work_orders  # line 2 is fully reserved: nothing to make
    assert (wo.line_no, wo.quantity, wo.production_line) == (1, 25, "L1")
    assert (wo.planned_start, wo.planned_finish) == (date(2026, 12, 8), date(2026, 12, 10))
    assert scheduled.planned_finish == date(2026, 12, 10)

    view = (await client.get("/schedule", params={"line": "L1", "day_from": "2026-12-08"})).json()
    assert [(d["day"], d["used"]) for d in view] == [
        ("2026-12-08", 1.0),
        ("2026-12-09", 1.0),
        ("2026-12-10", 0.5),
    ]
    work_orders = (await client.get("/work-orders", params={"order_id": str(order_id)})).json()
    assert [w["status"] for w in work_orders] == ["planned"]


async def test_a_repeated_shortfall_does_not_schedule_twice(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    lines = [line(1, "P-100", 20)]
    order_id, number = await confirm_with_shortfall(amqp_channel, ns, lines, date(2026, 12, 31))
    await _scheduled(spy, order_id)
    # Another reservation message for the same order (a new event id, not a redelivery).
    await send(
        amqp_channel, ns, reserved(order_id, number, lines, {}), correlation_id=str(order_id)
    )
    marker_id, _ = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 1)], date(2026, 12, 31)
    )
    await _scheduled(spy, marker_id)  # later messages were handled by now
    assert len(spy.of(ProductionScheduled, str(order_id))) == 1
    work_orders = (await client.get("/work-orders", params={"order_id": str(order_id)})).json()
    assert len(work_orders) == 1


async def test_rush_order_goes_first_and_pushes_a_normal_order_past_its_promise(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    # Normal order: 20 pieces Tue-Wed, promised Thursday 10 Dec.
    normal_id, _ = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 20)], date(2026, 12, 10)
    )
    (normal,) = await _scheduled(spy, normal_id)
    assert normal.planned_finish == date(2026, 12, 9)
    assert spy.of(ProductionDelayed, str(normal_id)) == []
    # Rush order of 20 goes ahead: Tue-Wed; the normal one moves to Thu-Fri (11 Dec).
    rush_id, rush_no = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 20)], date(2026, 12, 9), rush=True
    )
    (rush,) = await _scheduled(spy, rush_id)
    assert rush.rush is True
    assert rush.planned_finish == date(2026, 12, 9)
    (delayed,) = await spy.wait_for(ProductionDelayed, correlation_id=str(normal_id), timeout=15)
    assert delayed.cause == DelayCause.CAPACITY
    assert (delayed.old_date, delayed.new_date) == (date(2026, 12, 9), date(2026, 12, 11))
    assert rush_no in delayed.reason
    (wo,) = (await client.get("/work-orders", params={"order_id": str(normal_id)})).json()
    assert (wo["planned_start"], wo["planned_finish"]) == ("2026-12-10", "2026-12-11")


async def test_cancellation_cancels_work_orders_and_releases_capacity(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    first_id, first_no = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 30)], date(2026, 12, 31)
    )
    await _scheduled(spy, first_id)
    await send(
        amqp_channel,
        ns,
        OrderCancelled(
            order_id=first_id,
            order_no=first_no,
            initiated_by=Initiator.CUSTOMER,
            reason="changed mind",
        ),
        correlation_id=str(first_id),
    )
    (cancelled,) = await spy.wait_for(ProductionCancelled, correlation_id=str(first_id), timeout=15)
    assert cancelled.quantity_done == 0
    async with production.engine.connect() as conn:
        left = (await conn.execute(text("SELECT count(*) FROM allocation"))).scalar_one()
    assert left == 0
    # The freed days go to the next order: it starts on the first production day.
    second_id, _ = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 10)], date(2026, 12, 31)
    )
    (second,) = await _scheduled(spy, second_id)
    assert second.work_orders[0].planned_start == date(2026, 12, 8)
    (wo,) = (await client.get("/work-orders", params={"order_id": str(first_id)})).json()
    assert wo["status"] == "cancelled"


async def test_cancelling_started_work_reports_the_pieces_made(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, number = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 30)], date(2026, 12, 31)
    )
    (scheduled,) = await _scheduled(spy, order_id)
    wo_id = scheduled.work_orders[0].work_order_id
    response = await client.post(f"/work-orders/{wo_id}/progress", json={"quantity_done": 7})
    assert response.status_code == 200, response.text
    await send(
        amqp_channel,
        ns,
        OrderCancelled(
            order_id=order_id, order_no=number, initiated_by=Initiator.COMPANY, reason="fraud"
        ),
        correlation_id=str(order_id),
    )
    (cancelled,) = await spy.wait_for(ProductionCancelled, correlation_id=str(order_id), timeout=15)
    assert cancelled.quantity_done == 7
    assert "work had started" in cancelled.reason


async def test_line_downtime_set_over_http_is_skipped_when_loading(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    response = await client.post(
        "/lines/L1/downtime", json={"day": "2026-12-09", "reason": "service"}
    )
    assert response.status_code == 201
    assert response.json()["downtime"] == [{"day": "2026-12-09", "reason": "service"}]
    assert (
        await client.post("/lines/NOPE/downtime", json={"day": "2026-12-09"})
    ).status_code == 404
    order_id, _ = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 20)], date(2026, 12, 31)
    )
    (scheduled,) = await _scheduled(spy, order_id)
    assert scheduled.planned_finish == date(2026, 12, 10)  # Tue, (Wed down), Thu


async def test_an_order_cancelled_before_its_shortfall_arrives_is_never_scheduled(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, number = uuid.uuid4(), order_no()
    lines = [line(1, "P-100", 10)]
    for message in (
        OrderCancelled(
            order_id=order_id, order_no=number, initiated_by=Initiator.CUSTOMER, reason="no"
        ),
        confirmed(order_id, number, lines, date(2026, 12, 31)),
        reserved(order_id, number, lines, {}),
    ):
        await send(amqp_channel, ns, message, correlation_id=str(order_id))
    marker_id, _ = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 1)], date(2026, 12, 31)
    )
    (marker,) = await _scheduled(spy, marker_id)
    assert marker.work_orders[0].planned_start == date(2026, 12, 8)

    async def cancelled_handled() -> bool:
        async with production.engine.connect() as conn:
            row = await conn.execute(
                text("SELECT cancelled_at IS NOT NULL FROM order_plan WHERE order_id = :o"),
                {"o": order_id},
            )
            return bool(row.scalar())

    await eventually(cancelled_handled, timeout=10)
    assert spy.of(ProductionScheduled, str(order_id)) == []
    assert (await client.get("/work-orders", params={"order_id": str(order_id)})).json() == []
