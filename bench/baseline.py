"""The minimal hand-written chain every benchmark figure is compared with.

consume (aio-pika, prefetch 50) -> one SQLAlchemy Core transaction (inbox insert, a row update,
an outbox insert) -> publish the follow-up persistent with a confirm -> ack. No retries, no
dead-lettering, no relay: the least a consumer must do to be safe, written inline.

Run on its own it prints JSON, so a caller can run it as a separate process and read its peak
memory: ``.venv/bin/python -m bench.baseline --events 2000 --rate 50 --seconds 10``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from typing import Any

import aio_pika
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.stats import peak_rss_mb, percentiles
from contracts.envelope import Envelope
from tests.contract.factories import goods_shipped
from tests.harness import now
from tests.infra import DEFAULT_AMQP, DEFAULT_DB
from tests.integration.kit.probe import cancelled

AMQP = os.environ.get("ORDERFLOW_TEST_AMQP_URL", DEFAULT_AMQP)
DB = os.environ.get("ORDERFLOW_TEST_DATABASE_URL", DEFAULT_DB)
SENT_AT = "x-sent-at"

_INBOX = text("INSERT INTO inbox VALUES (:e) ON CONFLICT DO NOTHING RETURNING 1")
_BUMP = text("UPDATE counter SET n = n + 1 WHERE id = 1")
_OUT = text("INSERT INTO outbox (body) VALUES (:b)")


def body() -> bytes:
    return Envelope.wrap(
        cancelled(), producer="bench", correlation_id="c", occurred_at=now()
    ).to_json()


class HandWrittenChain:
    """One queue in, one sink out, with the handler inline; records its own latencies."""

    def __init__(self, run: str) -> None:
        self.run = run
        self.schema = f"b{run}_baseline"
        self.engine = create_async_engine(
            DB, pool_size=8, connect_args={"server_settings": {"search_path": self.schema}}
        )
        self.handled = 0
        self.commit_to_confirm: list[float] = []
        self.hop: list[float] = []  # sent -> follow-up confirmed, at a fixed rate
        self.drain_cpu_s = 0.0
        self._target = 0
        self._done = asyncio.Event()

    async def __aenter__(self) -> HandWrittenChain:
        async with self.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            await conn.execute(text("CREATE TABLE inbox (event_id uuid PRIMARY KEY)"))
            await conn.execute(text("CREATE TABLE counter (id int PRIMARY KEY, n bigint)"))
            await conn.execute(text("INSERT INTO counter VALUES (1, 0)"))
            await conn.execute(text("CREATE TABLE outbox (id bigserial PRIMARY KEY, body bytea)"))
        self.connection = await aio_pika.connect_robust(AMQP)
        self.channel = await self.connection.channel(publisher_confirms=True)
        await self.channel.set_qos(prefetch_count=50)
        self.queue = await self.channel.declare_queue(
            f"b{self.run}.baseline", durable=True, arguments={"x-queue-type": "quorum"}
        )
        self.sink = await self.channel.declare_queue(f"b{self.run}.sink", durable=True)
        self.follow_up = Envelope.wrap(
            goods_shipped(), producer="b", correlation_id="c", occurred_at=now()
        ).to_json()
        return self

    async def __aexit__(self, *_: object) -> None:
        for q in (self.queue, self.sink):
            await q.delete(if_unused=False, if_empty=False)
        await self.connection.close()
        async with self.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        await self.engine.dispose()

    async def send(self, bodies: list[bytes], stamped: bool = False) -> None:
        await asyncio.gather(
            *(
                self.channel.default_exchange.publish(
                    aio_pika.Message(
                        b,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        headers={SENT_AT: time.perf_counter()} if stamped else None,
                    ),
                    routing_key=self.queue.name,
                )
                for b in bodies
            )
        )

    async def on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        envelope = Envelope.from_json(message.body)
        async with self.engine.begin() as conn:
            if (await conn.execute(_INBOX, {"e": envelope.event_id})).first():
                await conn.execute(_BUMP)
                await conn.execute(_OUT, {"b": self.follow_up})
        committed = time.perf_counter()
        await self.channel.default_exchange.publish(
            aio_pika.Message(self.follow_up, delivery_mode=2), routing_key=self.sink.name
        )
        confirmed = time.perf_counter()
        await message.ack()
        self.commit_to_confirm.append(confirmed - committed)
        sent = (message.headers or {}).get(SENT_AT)
        if isinstance(sent, float):
            self.hop.append(confirmed - sent)
        self.handled += 1
        if self.handled >= self._target:
            self._done.set()

    async def drain(self, count: int) -> float:
        """Handler transactions per second over ``count`` pre-loaded messages."""
        for start in range(0, count, 200):
            await self.send([body() for _ in range(min(200, count - start))])
        self._target, self.handled = count, 0
        self._done.clear()
        started, cpu = time.perf_counter(), _cpu_seconds()
        tag = await self.queue.consume(self.on_message)
        await asyncio.wait_for(self._done.wait(), timeout=600)
        elapsed = time.perf_counter() - started
        self.drain_cpu_s = _cpu_seconds() - cpu
        await self.queue.cancel(tag)
        return count / elapsed

    async def at_rate(self, rate: float, seconds: float) -> None:
        """Send ``rate`` messages per second for ``seconds``; each records its hop latency."""
        total = int(rate * seconds)
        self._target, self.handled = total, 0
        self._done.clear()
        self.commit_to_confirm.clear()
        tag = await self.queue.consume(self.on_message)
        started = time.perf_counter()
        for i in range(total):
            await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
            await self.send([body()], stamped=True)
        await asyncio.wait_for(self._done.wait(), timeout=60 + seconds)
        await self.queue.cancel(tag)


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


async def measure(events: int, rate: float, seconds: float) -> dict[str, Any]:
    async with HandWrittenChain(uuid.uuid4().hex[:8]) as chain:
        tx_per_s = await chain.drain(events)
        await chain.at_rate(rate, seconds)
        return {
            "handler_tx_per_s": tx_per_s,
            "handler_tx_per_cpu_s": events / chain.drain_cpu_s,
            "hop_latency_s": percentiles(chain.hop),
            "commit_to_publish_s": percentiles(chain.commit_to_confirm),
            "rate_per_s": rate,
            "peak_rss_mb": peak_rss_mb(os.getpid()),
        }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    result = asyncio.run(measure(args.events, args.rate, args.seconds))
    sys.stdout.write(json.dumps(result) + "\n")
