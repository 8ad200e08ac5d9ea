"""Throughput and latency of one hop through the kit, on the real broker and database.

Commits N events through the outbox; the relay publishes them; a consumer with an inbox handles
each in its own transaction. Prints events/s for the whole hop and the latency from commit to
effect (p50/p99). Run: ``.venv/bin/python -m bench.kit_roundtrip --events 2000``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid

from sqlalchemy import text

from bench.services import delete_broker_namespace
from tests.harness import eventually
from tests.infra import DEFAULT_AMQP, DEFAULT_DB
from tests.integration.kit.probe import ProbeState, cancelled, make_runtime, probe_settings


async def main(events: int, batch: int) -> None:
    run = uuid.uuid4().hex[:8]
    settings = probe_settings(
        os.environ.get("ORDERFLOW_TEST_AMQP_URL", DEFAULT_AMQP),
        os.environ.get("ORDERFLOW_TEST_DATABASE_URL", DEFAULT_DB),
        f"b{run}.",
        "bench",
    )
    runtime = make_runtime(settings, ProbeState())
    await runtime.start()
    try:
        started = time.perf_counter()
        for first in range(0, events, batch):
            async with runtime.new_uow() as uow:
                for _ in range(min(batch, events - first)):
                    event = cancelled()
                    await uow.emit(event, correlation_id=str(event.order_id))
                await uow.commit()
        committed = time.perf_counter()

        async def all_handled() -> bool:
            return await _count(runtime) >= events

        await eventually(all_handled, timeout=600)
        done = time.perf_counter()
        latencies = await _latencies(runtime)
    finally:
        await runtime.stop()
        await _drop(runtime, settings.schema_name)
        await delete_broker_namespace(settings.amqp_url, settings.namespace)
    out = sys.stdout.write
    out(f"events                 {events}\n")
    out(f"commit rate            {events / (committed - started):8.0f} events/s\n")
    out(f"end-to-end throughput  {events / (done - started):8.0f} events/s\n")
    out(f"commit->effect p50     {statistics.median(latencies) * 1000:8.1f} ms\n")
    out(f"commit->effect p99     {statistics.quantiles(latencies, n=100)[98] * 1000:8.1f} ms\n")


async def _count(runtime) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM effect"))).scalar_one()


async def _latencies(runtime) -> list[float]:
    query = text(
        "SELECT EXTRACT(EPOCH FROM e.handled_at - o.created_at) FROM effect e"
        " JOIN outbox_message o ON o.event_id = e.event_id"
    )
    async with runtime.engine.connect() as conn:
        return [float(x) for (x,) in (await conn.execute(query)).all()]


async def _drop(runtime, schema: str) -> None:
    async with runtime.engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await runtime.engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=50, help="events per committed transaction")
    args = parser.parse_args()
    asyncio.run(main(args.events, args.batch))
