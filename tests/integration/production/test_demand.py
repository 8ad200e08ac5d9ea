"""After an amendment production makes what the warehouse reports it cannot cover: a planned
work order grows or shrinks, a line without one to grow gets a new one, and reports counted in
any order add up to the same work."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.events.production import ProductionCancelled, ProductionScheduled
from tests.harness import eventually, send
from tests.integration.production.builders import (
    confirmed,
    line,
    order_no,
    report,
    seed_line,
    seed_product,
)

PROMISED = date(2026, 12, 31)


async def _work_orders(client, order_id) -> list[tuple[str, int, str]]:
    found = (await client.get("/work-orders", params={"order_id": str(order_id)})).json()
    return sorted((w["work_order_no"], w["quantity"], w["status"]) for w in found)


async def _pump_line(client) -> None:
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")


async def _amended(amqp_channel, ns, order_id, number, quantity, on_hand, changes) -> None:
    """The warehouse's report after line 1 was amended to ``quantity``."""
    message = report(order_id, number, [line(1, "P-100", quantity)], on_hand, changes)
    await send(amqp_channel, ns, message, correlation_id=str(order_id))


async def _confirmed_and_reported(amqp_channel, ns, lines, on_hand, changes):
    order_id, number = uuid.uuid4(), order_no()
    for message in (
        confirmed(order_id, number, lines, PROMISED),
        report(order_id, number, lines, on_hand, changes),
    ):
        await send(amqp_channel, ns, message, correlation_id=str(order_id))
    return order_id, number


async def test_an_amendment_the_shelf_cannot_cover_grows_the_planned_work_order(
    client, production, spy, amqp_channel, ns
):
    await _pump_line(client)
    lines = [line(1, "P-100", 20)]
    order_id, number = await _confirmed_and_reported(amqp_channel, ns, lines, {}, {1: 20})
    await spy.wait_for(ProductionScheduled, correlation_id=str(order_id), timeout=15)
    # amended to 45; the shelf had nothing more: 25 more to make
    await _amended(amqp_channel, ns, order_id, number, 45, {}, {1: 25})
    again = await spy.wait_for(ProductionScheduled, 2, correlation_id=str(order_id), timeout=15)
    (wo,) = again[1].work_orders
    assert wo.quantity == 45
    assert again[1].planned_finish == date(2026, 12, 14)  # Tue-Fri 40, Monday 5
    assert await _work_orders(client, order_id) == [(f"WO-{number}-1", 45, "planned")]


async def test_a_line_with_nothing_to_grow_gets_a_new_work_order(
    client, production, spy, amqp_channel, ns
):
    await _pump_line(client)
    lines = [line(1, "P-100", 5)]
    # all of it from the shelf at first: nothing to make
    order_id, number = await _confirmed_and_reported(amqp_channel, ns, lines, {1: 5}, {})
    # (whichever of the two reports is counted first, 3 are to be made)
    await _amended(amqp_channel, ns, order_id, number, 9, {1: 6}, {1: 3})
    (scheduled,) = await spy.wait_for(ProductionScheduled, correlation_id=str(order_id), timeout=15)
    assert [(w.line_no, w.quantity) for w in scheduled.work_orders] == [(1, 3)]
    assert await _work_orders(client, order_id) == [(f"WO-{number}-1", 3, "planned")]


async def test_an_amendment_to_less_shrinks_and_then_cancels_planned_work(
    client, production, spy, amqp_channel, ns
):
    await _pump_line(client)
    lines = [line(1, "P-100", 20)]
    order_id, number = await _confirmed_and_reported(amqp_channel, ns, lines, {}, {1: 20})
    await spy.wait_for(ProductionScheduled, correlation_id=str(order_id), timeout=15)
    await _amended(amqp_channel, ns, order_id, number, 8, {}, {1: -12})
    again = await spy.wait_for(ProductionScheduled, 2, correlation_id=str(order_id), timeout=15)
    assert [w.quantity for w in again[1].work_orders] == [8]
    await _amended(amqp_channel, ns, order_id, number, 1, {1: 1}, {1: -8})
    (cancelled,) = await spy.wait_for(ProductionCancelled, correlation_id=str(order_id), timeout=15)
    assert "amended" in cancelled.reason
    assert await _work_orders(client, order_id) == [(f"WO-{number}-1", 8, "cancelled")]


async def test_reports_counted_out_of_order_add_up_to_the_same_work(
    client, production, spy, amqp_channel, ns
):
    await _pump_line(client)
    order_id, number = uuid.uuid4(), order_no()
    first, amended = [line(1, "P-100", 10)], [line(1, "P-100", 14)]
    # the amendment's report (+4) overtakes the first one (+10): 14 to make either way
    for message in (
        report(order_id, number, amended, {}, {1: 4}),
        confirmed(order_id, number, first, PROMISED),
        report(order_id, number, first, {}, {1: 10}),
    ):
        await send(amqp_channel, ns, message, correlation_id=str(order_id))

    async def fourteen() -> bool:
        return await _work_orders(client, order_id) == [(f"WO-{number}-1", 14, "planned")]

    await eventually(fourteen)
