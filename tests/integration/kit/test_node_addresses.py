"""Given several node addresses, the kit's connections go to one that answers; readiness asks the
broker's channel, not FastStream's bookkeeping, whether consumers are attached."""

from __future__ import annotations

from shared import amqp
from tests.harness import eventually, free_port
from tests.integration.kit.probe import ProbeState, cancelled, effects


def _dead_node() -> str:
    return f"amqp://guest:guest@127.0.0.1:{free_port()}/"  # nothing listens there


async def test_connections_pass_over_a_node_that_does_not_answer(infra):
    addresses = f"{_dead_node()},{infra.amqp_url}"
    robust = await amqp.connect_robust(addresses)
    try:
        assert isinstance(robust, amqp.NodeRotatingConnection)
        assert str(robust.url) == infra.amqp_url
    finally:
        await robust.close()
    plain = await amqp.connect(addresses)
    async with plain:
        assert str(plain.url) == infra.amqp_url


async def test_service_given_a_dead_node_first_consumes_and_relays_through_the_next(
    start_probe, infra
):
    runtime = await start_probe(ProbeState(), amqp_url=f"{_dead_node()},{infra.amqp_url}")
    async with runtime.new_uow() as uow:
        event = cancelled()
        event_id = await uow.emit(event, correlation_id=str(event.order_id))
        await uow.commit()

    async def handled() -> bool:
        return (await effects(runtime)).get(event_id) == 1

    await eventually(handled)
    assert runtime.broker.node == infra.amqp_url.replace("guest:guest", "guest:******")
    assert all((await runtime.readiness()).values())


async def test_readiness_fails_when_the_broker_no_longer_holds_a_consumer(start_probe):
    runtime = await start_probe(ProbeState())
    assert (await runtime.readiness())["consumers"] is True
    subscriber = runtime.broker.subscribers[0]
    channel = await subscriber._queue_obj.channel.get_underlay_channel()
    # the consumer goes away on the broker while FastStream still holds its consumer tag
    await channel.basic_cancel(subscriber._consumer_tag)
    assert subscriber._consumer_tag
    assert (await runtime.readiness())["consumers"] is False
