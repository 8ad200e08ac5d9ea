"""Handler transactions per second: the kit against a minimal hand-written chain, same run.

Both consume the same number of pre-loaded events from a quorum queue (prefetch 50) and, per
event, run one transaction (inbox insert, a row update, an outbox insert) and publish one
follow-up event with a publisher confirm before acking. The hand-written chain does it inline
with aio-pika and SQLAlchemy Core; the kit does it through its consumer, unit of work and relay.
Prints both rates, per wall-clock second and per CPU-second of this process (the kit's includes
its relay), and their ratios (kit / hand-written). Run:
``.venv/bin/python -m bench.chain --events 3000``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid

import aio_pika
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.services import delete_broker_namespace
from contracts.envelope import Envelope
from contracts.events.sales import OrderCancelled
from shared.config import ServiceSettings
from shared.messaging import HandlerContext, MessageBus
from shared.runtime import ServiceRuntime
from tests.contract.factories import goods_shipped
from tests.harness import eventually, now
from tests.infra import DEFAULT_AMQP, DEFAULT_DB
from tests.integration.kit.probe import MIGRATIONS, cancelled

AMQP = os.environ.get("ORDERFLOW_TEST_AMQP_URL", DEFAULT_AMQP)
DB = os.environ.get("ORDERFLOW_TEST_DATABASE_URL", DEFAULT_DB)


def _cpu() -> float:
    """CPU seconds this process used: a rate per CPU-second holds on a busy machine."""
    times = os.times()
    return times.user + times.system


def _bodies(count: int) -> list[bytes]:
    return [
        Envelope.wrap(
            cancelled(), producer="bench", correlation_id="c", occurred_at=now()
        ).to_json()
        for _ in range(count)
    ]


async def _preload(channel, queue: str, bodies: list[bytes]) -> None:
    for start in range(0, len(bodies), 200):
        await asyncio.gather(
            *(
                channel.default_exchange.publish(
                    aio_pika.Message(b, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                    routing_key=queue,
                )
                for b in bodies[start : start + 200]
            )
        )


async def baseline(count: int, run: str) -> tuple[float, float]:
    """The hand-written chain: consume -> tx(inbox, update, outbox) -> publish+confirm -> ack."""
    schema = f"b{run}_baseline"
    engine = create_async_engine(
        DB, pool_size=8, connect_args={"server_settings": {"search_path": schema}}
    )
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await conn.execute(text("CREATE TABLE inbox (event_id uuid PRIMARY KEY)"))
        await conn.execute(text("CREATE TABLE counter (id int PRIMARY KEY, n bigint)"))
        await conn.execute(text("INSERT INTO counter VALUES (1, 0)"))
        await conn.execute(text("CREATE TABLE outbox (id bigserial PRIMARY KEY, body bytea)"))
    inbox = text("INSERT INTO inbox VALUES (:e) ON CONFLICT DO NOTHING RETURNING 1")
    bump = text("UPDATE counter SET n = n + 1 WHERE id = 1")
    out = text("INSERT INTO outbox (body) VALUES (:b)")
    connection = await aio_pika.connect_robust(AMQP)
    channel = await connection.channel(publisher_confirms=True)
    await channel.set_qos(prefetch_count=50)
    queue = await channel.declare_queue(
        f"b{run}.baseline", durable=True, arguments={"x-queue-type": "quorum"}
    )
    sink = await channel.declare_queue(f"b{run}.sink", durable=True)
    follow_up = Envelope.wrap(goods_shipped(), producer="b", correlation_id="c", occurred_at=now())
    await _preload(channel, queue.name, _bodies(count))
    done = asyncio.Event()
    handled = 0

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal handled
        envelope = Envelope.from_json(message.body)
        async with engine.begin() as conn:
            if (await conn.execute(inbox, {"e": envelope.event_id})).first():
                await conn.execute(bump)
                await conn.execute(out, {"b": follow_up.to_json()})
        await channel.default_exchange.publish(
            aio_pika.Message(follow_up.to_json(), delivery_mode=2), routing_key=sink.name
        )
        await message.ack()
        handled += 1
        if handled == count:
            done.set()

    started, cpu = time.perf_counter(), _cpu()
    await queue.consume(on_message)
    await done.wait()
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    for q in (queue, sink):
        await q.delete(if_unused=False, if_empty=False)
    await connection.close()
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await engine.dispose()
    return count / elapsed, count / cpu


async def kit(count: int, run: str) -> tuple[float, float]:
    """The same work through the kit: typed handler, unit of work with inbox, outbox relay."""
    bus = MessageBus("benchkit")

    @bus.on_event(OrderCancelled)
    async def on_order_cancelled(event: OrderCancelled, ctx: HandlerContext) -> None:
        await ctx.uow.session.execute(
            text("INSERT INTO effect (event_id, order_id, handler) VALUES (:e, :o, 'bench')"),
            {"e": ctx.envelope.event_id, "o": event.order_id},
        )
        await ctx.emit(goods_shipped())

    settings = ServiceSettings(
        service_name="benchkit",
        amqp_url=AMQP,
        database_url=DB,
        namespace=f"b{run}.",
        db_schema=f"b{run}_kit",
        prefetch=50,
        relay_idle_poll_s=0.05,
    )
    runtime = ServiceRuntime(settings, bus, migrations=MIGRATIONS)
    await runtime.start()
    await runtime.broker.stop()  # pre-load while no consumer runs, then time the drain
    connection = await aio_pika.connect(AMQP)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await _preload(channel, runtime.routes[0].queue, _bodies(count))
    started, cpu = time.perf_counter(), _cpu()
    await runtime.broker.start()

    async def all_published() -> bool:
        async with runtime.engine.connect() as conn:
            query = text("SELECT count(*) FROM outbox_message WHERE published_at IS NOT NULL")
            return int((await conn.execute(query)).scalar_one()) >= count

    await eventually(all_published, timeout=900, interval=0.02)
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    await runtime.stop()
    await delete_broker_namespace(AMQP, settings.namespace)
    engine = create_async_engine(DB)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{settings.schema_name}" CASCADE'))
    await engine.dispose()
    return count / elapsed, count / cpu


async def main(count: int) -> None:
    run = uuid.uuid4().hex[:8]
    base, base_cpu = await baseline(count, run)
    ours, ours_cpu = await kit(count, run)
    out = sys.stdout.write
    out(f"events per side             {count}\n")
    out(f"hand-written chain          {base:6.0f} handler tx/s  {base_cpu:6.0f} per CPU-second\n")
    out(f"kit (consumer, uow, relay)  {ours:6.0f} handler tx/s  {ours_cpu:6.0f} per CPU-second\n")
    out(f"ratio kit / hand-written    {ours / base:6.2f}              {ours_cpu / base_cpu:6.2f}\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=3000)
    asyncio.run(main(parser.parse_args().events))
