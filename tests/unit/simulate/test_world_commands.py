"""A departmental system sends the same command envelope again while the broker is away (a
publish cut by a broker shutdown), until it is confirmed."""

from __future__ import annotations

import uuid

import aio_pika.exceptions
import pytest

from contracts.envelope import Envelope
from orderflow.simulate import World
from tests.contract.factories import payment_command


async def test_a_cut_publish_is_sent_again_with_the_same_envelope(monkeypatch):
    world = World({}, amqp_url="amqp://unused", namespace="t.")
    sent: list[Envelope] = []
    failures = [
        aio_pika.exceptions.AMQPConnectionError("shutdown"),
        aio_pika.exceptions.ChannelInvalidStateError("closed"),
    ]

    async def publish(envelope: Envelope, routing_key: str) -> None:
        sent.append(envelope)
        if failures:
            raise failures.pop(0)

    async def no_wait(_: float) -> None:
        return None

    monkeypatch.setattr(world, "_publish_command", publish)
    monkeypatch.setattr("orderflow.simulate.world.asyncio.sleep", no_wait)
    command = payment_command(f"bank-{uuid.uuid4().hex[:8]}")
    await world.send_command(command, "202612-001", producer="bank")
    assert len(sent) == 3 and len({e.event_id for e in sent}) == 1


async def test_a_broker_away_for_too_long_is_reported(monkeypatch):
    world = World({}, amqp_url="amqp://unused", namespace="t.")

    async def publish(envelope: Envelope, routing_key: str) -> None:
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(world, "_publish_command", publish)
    monkeypatch.setattr("orderflow.simulate.world.WAIT_FLOOR_S", -1.0)
    command = payment_command()
    with pytest.raises(ConnectionError, match="broker"):
        await world.send_command(command, "202612-001", producer="bank")
