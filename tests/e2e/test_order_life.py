"""One order's whole life across the five services running as separate processes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderflow.simulate import OrderPlan, World, carrier, customers, draw_all, play
from orderflow.simulate import warehouse_staff as staff
from orderflow.simulate.report import Report
from tests.e2e import invariants
from tests.e2e.system import RunningSystem
from tests.harness import eventually

pytestmark = pytest.mark.e2e


async def test_class_a_order_lives_from_submission_to_completion(world):
    customer = await world.customer("A")
    quantities = {"P-100": 10, "P-200": 2}
    plan = OrderPlan(
        index=0, klass="A", channel="web", arrives_after=timedelta(0), quantities=quantities
    )
    order = await customers.place_order(world, plan, customer)
    order_id, order_no = str(order["order_id"]), str(order["order_no"])
    # review by warehouse, production and finance; class A is released without signature
    await world.wait_status(order_id, "released")
    await staff.pick_and_pack(world, order_id)
    shipment = await carrier.wait_shipment(world, order_id)
    delivered = await carrier.carry(world, str(shipment["id"]), transit_days=1)
    assert delivered["tracking_no"]
    await world.wait_status(order_id, "delivered", "completed")
    await customers.pay_invoices(world, order_id)
    await world.wait_status(order_id, "completed")

    async def timeline_complete() -> bool:
        timeline = await world.timeline(order_no)
        return timeline["stage"] == "completed"

    await eventually(timeline_complete, timeout=60, interval=0.2)
    timeline = await world.timeline(order_no)
    seen = {entry["event_type"] for entry in timeline["history"]}
    assert {
        "order.received",
        "order.reviewed",
        "order.confirmed",
        "stock.reserved",
        "goods.ready",
        "goods.shipped",
        "goods.delivered",
        "invoice.issued",
        "payment.received",
        "order.completed",
    } <= seen, seen
    assert timeline["tracking_no"] == delivered["tracking_no"]
    assert await world.dead_lettered() == 0
    shown = await _track(order_no, world.clients["customer_service"].base_url)
    assert f"{order_no}  stage completed" in shown
    assert "goods.delivered" in shown


async def _track(order_no: str, base_url: object) -> str:
    import asyncio

    from typer.testing import CliRunner

    from orderflow.cli import app

    result = await asyncio.to_thread(
        CliRunner().invoke, app, ["track", order_no, "--url", str(base_url).rstrip("/")]
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.xfail(
    reason="open in issue 8: the invariant checker still reports violations after the story"
    " (billing and timeline checks being reconciled with the richer story)",
    strict=False,
)
async def test_seeded_story_ends_every_order_in_its_expected_state(running):
    """Every path of the story: channels (EDI on the command queue), incomplete orders, rush and
    big orders before the manager, late and missing signatures, deposits, amendments,
    cancellations, production with scrap and failed QC, parcels lost for a while, late
    payments, complaints of every kind with returns and repairs, surveys."""
    orders, seed = 16, 11
    world = World.connect(running.services, running.amqp_url, running.namespace)
    try:
        report = await play(world, orders, seed, days=1, net_days=3)
    finally:
        await world.close()
    plans = draw_all(seed, orders, timedelta(days=1))
    assert report.failures == [], "\n".join(report.lines())
    assert len(report.outcomes) == orders
    assert len({o.order_no for o in report.outcomes}) == orders, "one number per order"
    assert sorted(o.final_status for o in report.outcomes) == sorted(
        p.expected_state for p in plans
    )
    assert all(o.final_status == o.expected_status for o in report.outcomes)
    assert {o.channel for o in report.outcomes} == {"phone", "fax", "email", "web", "edi"}
    assert report.dead_lettered == 0
    kpis = list(report.kpis.values())
    delivered = sum(k["on_time_delivery"]["delivered"] for k in kpis)
    assert delivered >= sum(o.final_status == "completed" for o in report.outcomes)
    # simulated time passed: stages took simulated hours, not the wall seconds they ran in
    spans = [k["cycle_time_hours"]["received->delivered"] for k in kpis]
    assert max(h or 0 for h in spans) > 24
    assert sum(k["complaints"]["opened"] for k in kpis) == sum(
        1 for p in plans if p.complaint and p.expected_state == "completed"
    )
    found = await invariants.eventually_none(60, **check_args(running, expected_states(report)))
    assert found == [], "\n".join(found)


def expected_states(report: Report) -> dict[str, str]:
    """Order number -> the terminal state the seeded story planned for it."""
    assert len({o.order_no for o in report.outcomes}) == len(report.outcomes), "one number each"
    return {o.order_no: o.expected_status for o in report.outcomes if o.order_no}


def check_args(running: RunningSystem, expected: dict[str, str]) -> dict[str, object]:
    return {
        "database_url": running.database_url,
        "schemas": running.schemas(),
        "expected": expected,
        "amqp_url": running.amqp_url,
        "namespace": running.namespace,
    }
