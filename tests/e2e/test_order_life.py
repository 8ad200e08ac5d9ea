"""One order's whole life across the five services running as separate processes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderflow.simulate import OrderPlan, carrier, customers
from orderflow.simulate import warehouse_staff as staff
from orderflow.simulate.report import Report
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
    unsigned = await _track(order_no, world.clients["customer_service"].base_url, None, 1)
    assert "401" in unsigned
    assert world.cast is not None
    token = (await world.cast.session("service.zhou").authorization()).removeprefix("Bearer ")
    shown = await _track(order_no, world.clients["customer_service"].base_url, token)
    assert f"{order_no}  stage completed" in shown
    assert "goods.delivered" in shown


async def _track(order_no: str, base_url: object, token: str | None, exit_code: int = 0) -> str:
    """``orderflow track`` as an after-sales clerk runs it, signed in or not."""
    import asyncio

    from typer.testing import CliRunner

    from orderflow.cli import app

    args = ["track", order_no, "--url", str(base_url).rstrip("/")]
    env = {"ORDERFLOW_TOKEN": token} if token else {"ORDERFLOW_TOKEN": ""}
    result = await asyncio.to_thread(CliRunner().invoke, app, args, env=env)
    assert result.exit_code == exit_code, result.output
    return result.output


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
