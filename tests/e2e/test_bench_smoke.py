"""The system benchmark's parts on the running end-to-end system: one order, its figures."""

from __future__ import annotations

import pytest

from bench import drive
from bench.observe import EventClock
from orderflow.simulate import World
from shared.topology import Topology

pytestmark = pytest.mark.e2e


async def test_benchmark_drives_an_order_through_its_life_and_reports_its_latencies(
    running, infra, e2e_namespace
):
    world = World.connect(running.services, infra.amqp_url, e2e_namespace, running.cast())
    clock = await EventClock(
        infra.amqp_url, Topology(e2e_namespace).events_exchange, drive.WATCHED
    ).start()
    try:
        await world.seed()
        customer = await world.customer("A")
        lives, seconds = await drive.closed_loop(world, clock, customer, orders=2, concurrency=2)
    finally:
        await clock.close()
        await world.close()
    assert len(lives) == 2
    for life in lives:
        assert 0 < life.submit_to_confirmed < life.submit_to_completed
        assert 0 < life.ready_to_shipped < life.submit_to_completed
    assert max(life.submit_to_completed for life in lives) <= seconds
