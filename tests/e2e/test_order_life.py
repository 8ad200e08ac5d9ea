"""One order's whole life across the five services running as separate processes."""

from __future__ import annotations

import pytest

from orderflow.simulate.actors import World
from tests.e2e import invariants
from tests.harness import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
async def world(system):
    world = World.connect(system)
    await world.seed()
    yield world
    await world.close()


async def test_class_a_order_lives_from_submission_to_completion(world):
    customer = await world.customer("A")
    quantities = {"P-100": 10, "P-200": 2}
    order = await world.order(customer, quantities)
    order_id, order_no = str(order["order_id"]), str(order["order_no"])
    # review by warehouse, production and finance; class A is released without signature
    await world.wait_status(order_id, "released")
    await world.pick_and_pack(order_id, quantities)
    delivered = await world.ship_and_deliver(order_id)
    assert delivered["tracking_no"]
    await world.wait_status(order_id, "delivered", "completed")
    await world.pay_invoices(order_id)
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


async def test_seeded_story_ends_every_order_in_its_expected_state(running):
    from orderflow.simulate.story import play

    world = World.connect(running.services)
    try:
        report = await play(world, orders=12, seed=7, concurrency=4)
    finally:
        await world.close()
    assert len(report.outcomes) == 12
    assert {o.klass for o in report.outcomes} == set("ABC")
    assert report.dead_lettered == 0
    completed = sum(o.final_status == "completed" for o in report.outcomes)
    assert report.kpis["on_time_delivery"]["delivered"] >= completed
    found = await invariants.eventually_none(
        60, **check_args(running, expected_states(report, orders=12, seed=7))
    )
    assert found == [], "\n".join(found)


def expected_states(report, orders: int, seed: int) -> dict[str, str]:
    """Order number -> the terminal state the seeded story planned for it."""
    import random

    from orderflow.simulate.story import _plan

    rng = random.Random(seed)
    plans = [_plan(rng) for _ in range(orders)]
    assert len({o.order_no for o in report.outcomes}) == orders, "one number per order"
    wanted = sorted("cancelled" if p["cancel"] else "completed" for p in plans)
    assert sorted(o.final_status for o in report.outcomes) == wanted
    return {o.order_no: o.final_status for o in report.outcomes}


def check_args(running, expected: dict[str, str]) -> dict[str, object]:
    return {
        "database_url": running.database_url,
        "schemas": running.schemas(),
        "expected": expected,
        "amqp_url": running.amqp_url,
        "namespace": running.namespace,
    }
