"""Poison on every queue while orders flow: each lands in its dead-letter queue with a reason,
and the services go on handling good messages."""

from __future__ import annotations

import importlib
from datetime import timedelta

import aio_pika
import pytest

from orderflow.services import SERVICES
from orderflow.simulate import OrderPlan, World, customers
from shared import deadletters
from shared.topology import Topology
from tests.harness import eventually

pytestmark = pytest.mark.e2e


def _work_queues(namespace: str) -> list[str]:
    queues = []
    for service in SERVICES:
        runtime = importlib.import_module(f"{service.module}.main").build_runtime()
        queues += [route.queue for route in runtime.bus.routes(Topology(namespace))]
    return queues


async def test_malformed_messages_on_every_queue_are_dead_lettered_and_orders_still_flow(
    system, e2e_namespace, infra
):
    queues = _work_queues(e2e_namespace)
    assert len(queues) > 20
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        for queue in queues:
            await channel.default_exchange.publish(
                aio_pika.Message(b"{not json", message_id=f"poison-{queue}"), routing_key=queue
            )
    world = World.connect(system, infra.amqp_url, e2e_namespace)
    try:
        await world.seed()
        customer = await world.customer("A")
        plan = OrderPlan(0, "A", "web", timedelta(0), {"P-100": 3})
        order = await customers.place_order(world, plan, customer)
        await world.wait_status(str(order["order_id"]), "released")
    finally:
        await world.close()

    async def all_dead_lettered() -> bool:
        for queue in queues:
            letters = await deadletters.list_dead_letters(infra.amqp_url, f"{queue}.dlq")
            if not any(x.message_id == f"poison-{queue}" for x in letters):
                return False
        return True

    await eventually(all_dead_lettered, timeout=90, interval=0.5)
    sample = await deadletters.list_dead_letters(infra.amqp_url, f"{queues[0]}.dlq")
    assert "JSON" in sample[0].reason or "json" in sample[0].reason
