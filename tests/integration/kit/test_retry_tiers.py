"""A service's retry tiers return messages to that service's own work queues and to no other's:
publishing to one's own tier with another service's queue as the routing key reaches nothing."""

from __future__ import annotations

import aio_pika

from contracts.envelope import Envelope
from tests.harness import eventually, now
from tests.integration.kit.probe import ProbeState, cancelled, effects, make_runtime, probe_settings


def _letter(event_id_box: list) -> aio_pika.Message:
    event = cancelled()
    envelope = Envelope.wrap(
        event, producer="sales", correlation_id=str(event.order_id), occurred_at=now()
    )
    event_id_box.append(envelope.event_id)
    return aio_pika.Message(envelope.to_json(), message_id=str(envelope.event_id), delivery_mode=2)


async def test_a_retry_tier_cannot_deliver_into_another_services_queue(
    start_probe, amqp_channel, infra, namespace
):
    mine = await start_probe(ProbeState())
    # another service, its queues declared but not consumed, so whatever reaches them stays
    other_settings = probe_settings(
        infra.amqp_url, infra.database_url, f"{namespace}kit.", f"{mine.settings.service_name}x"
    )
    other = make_runtime(other_settings, ProbeState())
    await other._declare_topology()
    await other.engine.dispose()
    their_queue = other.routes[0].queue
    tier = mine.topology.retry_tier(mine.settings.service_name, mine.settings.retry_delays_ms[0])
    exchange = await amqp_channel.get_exchange(tier)
    smuggled: list = []
    returned: list = []
    # one tier, one TTL: the smuggled copy expires first, then the one for my own queue
    await exchange.publish(_letter(smuggled), routing_key=their_queue)
    await exchange.publish(_letter(returned), routing_key=mine.routes[0].queue)

    async def back_home() -> bool:
        return returned[0] in await effects(mine)

    await eventually(back_home)
    theirs = await amqp_channel.declare_queue(their_queue, passive=True)
    assert theirs.declaration_result.message_count == 0
    assert smuggled[0] not in await effects(mine)
