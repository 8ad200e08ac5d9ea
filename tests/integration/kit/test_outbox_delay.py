"""The relay's delay, from an outbox row's insert to the broker's confirm, as a metric."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.harness import eventually
from tests.integration.kit.probe import ProbeState, cancelled


async def test_relay_records_the_delay_from_insert_to_confirm_of_each_row(start_probe):
    runtime = await start_probe(ProbeState())
    delay = runtime.metrics.outbox_publish_delay
    async with runtime.new_uow() as uow:
        for _ in range(3):
            event = cancelled()
            await uow.emit(event, correlation_id=str(event.order_id))
        await asyncio.sleep(0.05)  # the transaction stays open after the inserts
        await uow.commit()

    def observed() -> float:
        return sum(s.value for s in delay.collect()[0].samples if s.name.endswith("_count"))

    async def all_published() -> bool:
        return observed() >= 3

    await eventually(all_published)
    async with runtime.engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT EXTRACT(EPOCH FROM published_at - created_at) FROM outbox_message")
            )
        ).all()
    stored = sorted(float(d) for (d,) in rows)
    total = next(s.value for s in delay.collect()[0].samples if s.name.endswith("_sum"))
    assert observed() == 3
    assert abs(total - sum(stored)) < 1e-6
    # measured from each insert, so it includes the time the transaction stayed open
    assert all(d >= 0.05 for d in stored), stored


async def test_relay_publishes_while_handlers_hold_every_pooled_connection(start_probe):
    runtime = await start_probe(ProbeState(), db_pool_size=1, db_max_overflow=0)
    delay = runtime.metrics.outbox_publish_delay

    def published() -> float:
        return sum(s.value for s in delay.collect()[0].samples if s.name.endswith("_count"))

    async with runtime.engine.connect() as held:  # the pool's only connection, kept busy
        session = AsyncSession(bind=held)
        event = cancelled()
        await runtime.outbox.add(
            session,
            event,
            correlation_id=str(event.order_id),
            causation_id=None,
            occurred_at=runtime.clock.now(),
        )
        await session.commit()
        runtime.relay.wake()

        async def relayed() -> bool:
            return published() >= 1

        await eventually(relayed, timeout=10)  # the pool's checkout timeout is 30 s
