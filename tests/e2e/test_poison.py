"""Poison on every queue while orders flow, malformed JSON and well-formed envelopes whose payload
breaks the schema: each lands in its dead-letter queue with its reason, and the services go on
handling good messages."""

from __future__ import annotations

import importlib
import json
import uuid
from datetime import UTC, datetime, timedelta

import aio_pika
import pytest

from orderflow.services import SERVICES
from orderflow.simulate import OrderPlan, World, customers
from shared import deadletters
from shared.topology import Topology
from tests.harness import eventually

pytestmark = pytest.mark.e2e
POISONS = ("malformed", "violating")


def _work_queues(namespace: str) -> dict[str, tuple[str, int]]:
    """Every work queue, with one (type, version) it handles."""
    queues = {}
    for service in SERVICES:
        runtime = importlib.import_module(f"{service.module}.main").build_runtime()
        for route in runtime.bus.routes(Topology(namespace)):
            queues[route.queue] = min(route.handlers)
    return queues


def _violating(kind: tuple[str, int]) -> bytes:
    """A well-formed envelope of a type the queue handles, whose payload breaks its schema."""
    envelope = {
        "event_id": str(uuid.uuid4()),
        "type": kind[0],
        "version": kind[1],
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": "fuzzer",
        "correlation_id": "poison",
        "payload": {"order_id": "not a uuid", "quantity": "many"},
    }
    return json.dumps(envelope).encode()


async def test_malformed_messages_on_every_queue_are_dead_lettered_and_orders_still_flow(
    running, e2e_namespace, infra
):
    queues = _work_queues(e2e_namespace)
    assert len(queues) > 20
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        for queue, kind in queues.items():
            for poison, body in (("malformed", b"{not json"), ("violating", _violating(kind))):
                await channel.default_exchange.publish(
                    aio_pika.Message(body, message_id=f"{poison}-{queue}"), routing_key=queue
                )
    world = World.connect(running.services, infra.amqp_url, e2e_namespace, running.cast())
    try:
        await world.seed()
        customer = await world.customer("A")
        plan = OrderPlan(0, "A", "web", timedelta(0), {"P-100": 3})
        order = await customers.place_order(world, plan, customer)
        await world.wait_status(str(order["order_id"]), "released")
    finally:
        await world.close()

    reasons: dict[str, str] = {}

    async def all_dead_lettered() -> bool:
        for queue in queues:
            for letter in await deadletters.list_dead_letters(infra.amqp_url, f"{queue}.dlq"):
                reasons[letter.message_id or ""] = letter.reason
        return all(f"{poison}-{queue}" in reasons for queue in queues for poison in POISONS)

    await eventually(all_dead_lettered, timeout=90, interval=0.5)
    for queue in queues:
        assert "json" in reasons[f"malformed-{queue}"].lower(), reasons[f"malformed-{queue}"]
        assert "validation" in reasons[f"violating-{queue}"].lower(), reasons[f"violating-{queue}"]
