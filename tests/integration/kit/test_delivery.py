"""Outbox, inbox, retry and dead-letter guarantees against the real RabbitMQ and PostgreSQL."""

from __future__ import annotations

import uuid

import aio_pika
from sqlalchemy import text

from contracts.envelope import Envelope
from shared import deadletters
from tests.harness import eventually, now
from tests.integration.kit.probe import ProbeState, cancelled, effects


async def _outbox_rows(runtime) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM outbox_message"))).scalar_one()


async def _emit(runtime, reason: str = "ok"):
    async with runtime.new_uow() as uow:
        event = cancelled(reason)
        event_id = await uow.emit(event, correlation_id=str(event.order_id))
        await uow.commit()
    return event_id


async def test_rolled_back_transaction_publishes_nothing(start_probe):
    runtime = await start_probe(ProbeState())
    async with runtime.new_uow() as uow:
        await uow.emit(cancelled(), correlation_id="rolled-back")
        # leaving without commit() rolls back
    marker = await _emit(runtime)

    async def marker_handled() -> bool:
        return marker in await effects(runtime)

    await eventually(marker_handled)
    assert await effects(runtime) == {marker: 1}
    assert await _outbox_rows(runtime) == 1


async def test_same_event_delivered_twice_has_one_effect(start_probe, amqp_channel):
    runtime = await start_probe(ProbeState())
    event = cancelled()
    envelope = Envelope.wrap(
        event, producer="test", correlation_id=str(event.order_id), occurred_at=now()
    )
    exchange = await amqp_channel.get_exchange(runtime.topology.events_exchange)
    for _ in range(2):
        await exchange.publish(
            aio_pika.Message(envelope.to_json(), delivery_mode=2), routing_key="order.cancelled"
        )
    later = await _emit(runtime)

    async def all_handled() -> bool:
        seen = await effects(runtime)
        return later in seen and envelope.event_id in seen and _duplicates(runtime) >= 1

    await eventually(all_handled)
    assert (await effects(runtime))[envelope.event_id] == 1


def _duplicates(runtime) -> float:
    handler = f"{runtime.settings.service_name}.order.cancelled"
    sample = runtime.metrics.registry.get_sample_value(
        "orderflow_messages_duplicate_total", {"handler": handler}
    )
    return sample or 0.0


async def test_malformed_and_schema_violating_messages_are_dead_lettered(start_probe, amqp_channel):
    runtime = await start_probe(ProbeState())
    queue = runtime.routes[0].queue
    bad_payload = Envelope(
        type="order.cancelled",
        version=1,
        occurred_at=now(),
        producer="test",
        correlation_id="x",
        payload={"order_id": "not-a-uuid"},
    )
    for body, mid in ((b"{not json", "malformed"), (bad_payload.to_json(), "violating")):
        await amqp_channel.default_exchange.publish(
            aio_pika.Message(body, message_id=mid, headers={"origin": "test"}), routing_key=queue
        )
    good = await _emit(runtime)

    async def good_handled() -> bool:
        return good in await effects(runtime)

    await eventually(good_handled)
    dlq = runtime.topology.dead_letter_queue(queue)

    async def two_dead() -> bool:
        return len(await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)) == 2

    await eventually(two_dead)
    letters = {
        x.message_id: x for x in await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)
    }
    assert "JSON" in letters["malformed"].reason or "json" in letters["malformed"].reason
    assert "order_id" in letters["violating"].reason
    assert letters["violating"].headers["origin"] == "test"  # original headers kept
    assert letters["violating"].original_queue == queue


async def test_transient_failure_is_retried_with_back_off_then_handled_once(start_probe):
    state = ProbeState()
    runtime = await start_probe(state)
    event_id = await _emit(runtime, "transient:2")

    async def handled() -> bool:
        return event_id in await effects(runtime)

    await eventually(handled)
    assert (await effects(runtime))[event_id] == 1
    (times,) = state.attempts.values()
    assert len(times) == 3
    delays = runtime.settings.retry_delays_ms
    # each retry waited at least its tier's delay: back-off, not a hot requeue loop
    assert times[1] - times[0] >= delays[0] / 1000 * 0.9
    assert times[2] - times[1] >= delays[1] / 1000 * 0.9


async def test_handler_that_always_fails_is_dead_lettered_after_max_attempts(start_probe):
    state = ProbeState()
    runtime = await start_probe(state)
    await _emit(runtime, "always")
    dlq = runtime.topology.dead_letter_queue(runtime.routes[0].queue)

    async def dead() -> bool:
        return len(await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)) == 1

    await eventually(dead)
    (letter,) = await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)
    assert letter.attempts == runtime.settings.max_attempts
    assert "gave up after 3 attempts" in letter.reason
    assert "still down" in letter.reason
    assert len(next(iter(state.attempts.values()))) == runtime.settings.max_attempts
    assert await effects(runtime) == {}


async def test_broken_invariant_goes_straight_to_dead_letters(start_probe):
    state = ProbeState()
    runtime = await start_probe(state)
    await _emit(runtime, "invariant")
    dlq = runtime.topology.dead_letter_queue(runtime.routes[0].queue)

    async def dead() -> bool:
        return len(await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)) == 1

    await eventually(dead)
    (letter,) = await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)
    assert "PermanentError" in letter.reason
    assert len(next(iter(state.attempts.values()))) == 1


async def test_replayed_dead_letter_is_handled_once_fixed(start_probe):
    state = ProbeState()
    runtime = await start_probe(state)
    event_id = await _emit(runtime, "always")
    dlq = runtime.topology.dead_letter_queue(runtime.routes[0].queue)

    async def dead() -> bool:
        return len(await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)) == 1

    await eventually(dead)
    state.heal = True
    assert await deadletters.replay(runtime.settings.amqp_url, dlq) == 1

    async def handled() -> bool:
        return event_id in await effects(runtime)

    await eventually(handled)
    assert await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq) == []
    assert (await effects(runtime))[event_id] == 1


async def test_unroutable_command_stays_in_outbox_with_the_error(start_probe):
    from contracts.commands.sales import CancelOrder

    runtime = await start_probe(ProbeState())
    command = CancelOrder(order_id=uuid.uuid4(), reason="customer changed plans")
    async with runtime.new_uow() as uow:
        await uow.emit(command, correlation_id="nobody-listens")
        await uow.commit()

    async def error_recorded() -> bool:
        async with runtime.engine.connect() as conn:
            row = (
                await conn.execute(text("SELECT published_at, last_error FROM outbox_message"))
            ).one()
        return row.last_error is not None

    await eventually(error_recorded)
    async with runtime.engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT published_at, last_error FROM outbox_message"))
        ).one()
    assert row.published_at is None
    assert "NO_ROUTE" in row.last_error or "312" in row.last_error


async def test_prune_forgets_old_published_rows_and_keeps_unpublished_ones(start_probe):
    runtime = await start_probe(ProbeState(), {"run_relay": False})
    async with runtime.engine.begin() as conn:
        for published, age in (("published", 8), ("published", 1), (None, 30)):
            await conn.execute(
                text(
                    "INSERT INTO outbox_message (event_id, exchange, routing_key, message_type,"
                    " body, created_at, published_at) VALUES (:id, 'x', 'k', 't', 'b',"
                    " now() - make_interval(days => :age),"
                    " CASE WHEN :p THEN now() - make_interval(days => :age) END)"
                ),
                {"id": uuid.uuid4(), "age": age, "p": published is not None},
            )
    await runtime.relay.prune()
    async with runtime.engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT published_at IS NULL FROM outbox_message ORDER BY created_at")
            )
        ).all()
    assert [unpublished for (unpublished,) in rows] == [True, False]
