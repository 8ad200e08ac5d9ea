"""Competing consumers and relays, and deadlines under two scanners."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text

from shared import timers
from shared.clock import FixedClock
from tests.harness import eventually, now
from tests.integration.kit.probe import ProbeState, cancelled, effects


async def test_two_replicas_and_two_relays_handle_every_event_once(start_probe):
    state = ProbeState()
    first = await start_probe(state)
    second = await start_probe(state)  # same name: same queues and schema
    ids = []

    async def produce(runtime, count: int) -> None:
        for _ in range(count):
            async with runtime.new_uow() as uow:
                event = cancelled()
                ids.append(await uow.emit(event, correlation_id=str(event.order_id)))
                await uow.commit()

    await asyncio.gather(produce(first, 200), produce(second, 200))

    async def all_handled() -> bool:
        return len(await effects(first)) == 400

    await eventually(all_handled, timeout=60)
    seen = await effects(first)
    assert set(seen) == set(ids)
    assert set(seen.values()) == {1}
    handled = [
        r.metrics.registry.get_sample_value(
            "orderflow_messages_handled_total",
            {"handler": f"{r.settings.service_name}.order.cancelled"},
        )
        or 0
        for r in (first, second)
    ]
    assert sum(handled) == 400
    assert all(h > 0 for h in handled), f"one replica did no work: {handled}"


async def test_due_timer_fires_once_with_two_scanners(start_probe):
    clock = FixedClock(now())
    # background scanners off: the test drives two scanners concurrently itself
    options = {"clock": clock, "run_timers": False}
    first = await start_probe(ProbeState(), options)
    second = await start_probe(ProbeState(), options)
    async with first.new_uow() as uow:
        for i in range(20):
            await timers.schedule(
                uow.session,
                f"deadline-{i}",
                clock.now() + timedelta(hours=24),
                cancelled(),
                correlation_id=f"order-{i}",
            )
        await uow.commit()
    assert await first.scanner.fire_due() == 0  # not due yet
    clock.advance(timedelta(hours=24, seconds=1))
    fired = await asyncio.gather(*(r.scanner.fire_due() for r in (first, second, first, second)))
    assert sum(fired) == 20

    async def delivered() -> bool:
        return len(await effects(first)) == 20

    await eventually(delivered)
    assert set((await effects(first)).values()) == {1}
    async with first.engine.connect() as conn:
        outbox = (await conn.execute(text("SELECT count(*) FROM outbox_message"))).scalar_one()
    assert outbox == 20


async def test_cancelled_timer_never_fires(start_probe):
    clock = FixedClock(now())
    runtime = await start_probe(ProbeState(), {"clock": clock, "run_timers": False})
    async with runtime.new_uow() as uow:
        await timers.schedule(
            uow.session,
            "signature",
            clock.now() + timedelta(days=2),
            cancelled(),
            correlation_id="order-1",
        )
        await uow.commit()
    async with runtime.new_uow() as uow:
        assert await timers.cancel(uow.session, "signature", clock.now())
        await uow.commit()
    clock.advance(timedelta(days=3))
    assert await runtime.scanner.fire_due() == 0


async def test_running_scanners_of_two_replicas_fire_each_deadline_once(start_probe):
    clock = FixedClock(now())
    first = await start_probe(ProbeState(), {"clock": clock})
    second = await start_probe(ProbeState(), {"clock": clock})
    async with second.new_uow() as uow:
        for i in range(30):
            await timers.schedule(
                uow.session,
                f"review-{i}",
                clock.now() + timedelta(minutes=i),
                cancelled(),
                correlation_id=f"order-{i}",
            )
        await uow.commit()
    clock.advance(timedelta(hours=1))

    async def delivered() -> bool:
        return len(await effects(first)) == 30

    await eventually(delivered)
    assert set((await effects(first)).values()) == {1}
    fired = sum(
        r.metrics.registry.get_sample_value("orderflow_timers_fired_total") or 0
        for r in (first, second)
    )
    assert fired == 30


async def test_breach_deadline_fires_its_event_and_counts_in_metrics(start_probe):
    from contracts.enums import Deadline
    from contracts.events.sla import OrderSlaBreached

    clock = FixedClock(now())
    runtime = await start_probe(ProbeState(), {"clock": clock, "run_timers": False})
    due = clock.now() + timedelta(hours=24)
    breach = OrderSlaBreached(
        deadline=Deadline.REVIEW, subject_id="order-7", due_at=due, breached_at=due
    )
    async with runtime.new_uow() as uow:
        await timers.schedule(uow.session, "review:order-7", due, breach, "order-7")
        await uow.commit()
    clock.advance(timedelta(hours=24))
    assert await runtime.scanner.fire_due() == 1
    async with runtime.engine.connect() as conn:
        kinds = (await conn.execute(text("SELECT routing_key FROM outbox_message"))).all()
    assert kinds == [("order.sla_breached",)]
    counted = runtime.metrics.registry.get_sample_value(
        "orderflow_sla_breaches_total", {"type": "order.sla_breached"}
    )
    assert counted == 1
