"""The simulated world's departmental systems keep sending a command while the broker restarts,
as an EDI gateway does: the command is confirmed once the broker is back, and not lost."""

from __future__ import annotations

import asyncio
import json
import uuid

import aio_pika
import pytest

from contracts.commands.sales import RecordPayment
from contracts.registry import REGISTRY
from orderflow.simulate import World
from shared.topology import Topology, declare_exchanges
from tests.contract.factories import payment_command
from tests.infra import Infra, rabbitmqctl
from tests.integration.kit.test_outages import _wait_broker_up

pytestmark = pytest.mark.disruptive


async def test_a_command_sent_while_the_broker_restarts_arrives_once_it_is_back(
    infra: Infra, namespace: str
):
    if not infra.local_broker:
        pytest.skip("needs rabbitmqctl on the broker's machine")
    ns = f"{namespace}world."
    command = payment_command(f"bank-{uuid.uuid4().hex[:8]}")
    connection = await aio_pika.connect(infra.amqp_url)
    channel = await connection.channel()
    await declare_exchanges(channel, Topology(ns))
    queue = await channel.declare_queue(f"{ns}sales.commands", durable=True)
    await queue.bind(Topology(ns).commands_exchange, REGISTRY.spec_for(RecordPayment).routing_key)
    await connection.close()
    world = World({}, amqp_url=infra.amqp_url, namespace=ns)
    try:
        await world.send_command(command, "202612-001", producer="bank")  # connected
        await asyncio.to_thread(rabbitmqctl, "stop_app")
        try:
            sending = asyncio.create_task(world.send_command(command, "202612-001", "bank"))
            await asyncio.sleep(2)  # the outage itself: the gateway keeps trying meanwhile
            assert not sending.done()
        finally:
            await asyncio.to_thread(rabbitmqctl, "start_app")
            await asyncio.to_thread(_wait_broker_up)
        await asyncio.wait_for(sending, 90)
    finally:
        await world.close()
    connection = await aio_pika.connect(infra.amqp_url)
    try:
        channel = await connection.channel()
        queue = await channel.declare_queue(f"{ns}sales.commands", durable=True)
        bodies = []
        while (message := await queue.get(fail=False)) is not None:
            bodies.append(json.loads(message.body)["payload"]["client_reference"])
            await message.ack()
        assert bodies == [command.client_reference] * 2
        await queue.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()
