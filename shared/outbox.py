"""Transactional outbox: events are rows committed with the state change; a relay publishes them.

The relay claims a batch with ``FOR UPDATE SKIP LOCKED`` (several replicas relay at once without
sending a row twice), publishes the whole batch with publisher confirms in flight, and marks the
confirmed rows published in the same transaction. If it dies after the broker confirmed but before
its commit, the rows are sent again: consumers' inboxes make that harmless. While the broker is
unreachable the relay backs off and catches up when it returns.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from uuid import UUID

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractExchange
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts.base import Message
from contracts.envelope import Envelope
from contracts.publishers import SERVICES, publishers_of
from contracts.registry import REGISTRY
from shared import amqp
from shared.aio import Every, wait_any, wait_or_stop
from shared.errors import PermanentError
from shared.metrics import KitMetrics
from shared.senders import login_of
from shared.topology import Topology

log = structlog.get_logger("orderflow.outbox")

_PRUNE_EVERY_S = 3600.0
# The backlog gauges cost a COUNT over the unpublished rows: once a few seconds, not every poll.
_BACKLOG_EVERY_S = 5.0

# created_at is the moment of the insert (clock_timestamp), not the transaction's start (now()),
# and published_at the moment the broker's confirms are in: their difference is the relay's delay.
_INSERT = text(
    "INSERT INTO outbox_message"
    " (event_id, exchange, routing_key, message_type, body, headers, created_at)"
    " VALUES (:event_id, :exchange, :routing_key, :message_type, :body, CAST(:headers AS jsonb),"
    " clock_timestamp())"
)
_CLAIM = text(
    "SELECT id, event_id, exchange, routing_key, message_type, body, headers"
    " FROM outbox_message WHERE published_at IS NULL"
    " ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_MARK_PUBLISHED = text(
    "UPDATE outbox_message"
    " SET published_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL"
    " WHERE id = ANY(:ids) RETURNING EXTRACT(EPOCH FROM published_at - created_at)"
)
_MARK_FAILED = text(
    "UPDATE outbox_message SET attempts = attempts + 1, last_error = :error WHERE id = :id"
)
_BACKLOG = text(
    "SELECT count(*), EXTRACT(EPOCH FROM now() - min(created_at))"
    " FROM outbox_message WHERE published_at IS NULL"
)
_PRUNE = text(
    "DELETE FROM outbox_message WHERE published_at < now() - make_interval(days => :days)"
)


def _check_publisher(event_type: str, producer: str) -> None:
    """A service writes only the events it publishes: its consumers, and the broker's topic
    permissions, would refuse any other; better to fail where the mistake is made."""
    if producer not in publishers_of(event_type):
        raise PermanentError(
            f"{producer} does not publish {event_type}: add it to contracts.publishers"
        )


class OutboxWriter:
    """Adds envelopes to the outbox inside the caller's transaction."""

    def __init__(self, producer: str, topology: Topology) -> None:
        self.producer = producer
        self.topology = topology

    async def add(
        self,
        session: AsyncSession,
        message: Message,
        *,
        correlation_id: str,
        causation_id: UUID | None,
        occurred_at: datetime,
        routing_key: str | None = None,
    ) -> UUID:
        envelope = Envelope.wrap(
            message,
            producer=self.producer,
            correlation_id=correlation_id,
            causation_id=causation_id,
            occurred_at=occurred_at,
        )
        spec = REGISTRY.spec_for(type(message))
        if spec.kind == "event" and self.producer in SERVICES:
            _check_publisher(spec.type, self.producer)
        exchange = (
            self.topology.events_exchange
            if spec.kind == "event"
            else self.topology.commands_exchange
        )
        headers = {
            "type": envelope.type,
            "version": envelope.version,
            "correlation_id": envelope.correlation_id,
        }
        await session.execute(
            _INSERT,
            {
                "event_id": envelope.event_id,
                "exchange": exchange,
                "routing_key": routing_key or spec.routing_key,
                "message_type": f"{envelope.type}.v{envelope.version}",
                "body": envelope.to_json(),
                "headers": json.dumps(headers),
            },
        )
        return envelope.event_id


class OutboxRelay:
    """Publishes committed outbox rows; run one per service replica (or more)."""

    def __init__(
        self,
        engine: AsyncEngine,
        amqp_url: str,
        metrics: KitMetrics,
        *,
        batch: int = 200,
        idle_poll_s: float = 0.2,
        max_backoff_s: float = 5.0,
        retention_days: int = 7,
        reconnect_interval_s: float = 2.0,
    ) -> None:
        self._engine = engine
        self._amqp_url = amqp_url
        self._login = login_of(amqp_url)
        self._metrics = metrics
        self._batch = batch
        self._idle_poll_s = idle_poll_s
        self._max_backoff_s = max_backoff_s
        self._retention_days = retention_days
        self._reconnect_interval_s = reconnect_interval_s
        self._wake = asyncio.Event()
        self._connection: aio_pika.abc.AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}
        self.running = False

    def wake(self) -> None:
        """Called after a commit that emitted something: publish now, not at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        self.running = True
        failures = 0
        prune, backlog = Every(_PRUNE_EVERY_S), Every(_BACKLOG_EVERY_S)
        try:
            while not stop.is_set():
                if prune.due():
                    await self._prune_quietly()
                # Cleared before the claim, not after: a commit that wakes the relay while it
                # publishes the previous batch is seen at once instead of at the next idle poll.
                self._wake.clear()
                try:
                    published = await self.relay_once()
                    failures = 0
                except Exception as exc:
                    failures += 1
                    delay = min(self._max_backoff_s, 0.1 * 2**failures)
                    log.warning("outbox_relay_failed", error=str(exc), retry_in_s=delay)
                    # start from a fresh connection: a robust one may be half-restored
                    await self.close()
                    await wait_or_stop(stop, delay)
                    continue
                if published < self._batch:
                    if backlog.due():
                        await self._refresh_backlog_quietly()
                    await wait_any(stop, self._wake, self._idle_poll_s)
            await self._final_flush()
        finally:
            self.running = False
            await self.close()

    async def _final_flush(self) -> None:
        """Publish what committed before the stop signal, so a rolling restart leaves no backlog."""
        try:
            while await self.relay_once() >= self._batch:
                pass
        except Exception as exc:  # the next replica to start will publish what is left
            log.warning("outbox_final_flush_failed", error=str(exc))

    async def relay_once(self) -> int:
        """Claim, publish and mark one batch; returns how many rows were published."""
        async with self._engine.begin() as conn:
            rows = (await conn.execute(_CLAIM, {"limit": self._batch})).all()
            if not rows:
                return 0
            results = await asyncio.gather(
                *(self._publish(row) for row in rows), return_exceptions=True
            )
            ok_ids = [row.id for row, res in zip(rows, results, strict=True) if res is None]
            delays: list[float] = []
            if ok_ids:
                marked = await conn.execute(_MARK_PUBLISHED, {"ids": ok_ids})
                delays = [float(d) for (d,) in marked.all()]
            for row, res in zip(rows, results, strict=True):
                if isinstance(res, BaseException):
                    await conn.execute(_MARK_FAILED, {"id": row.id, "error": repr(res)[:2000]})
        self._metrics.published.inc(len(ok_ids))
        for delay in delays:
            self._metrics.outbox_publish_delay.observe(delay)
        failed = len(rows) - len(ok_ids)
        if failed and not ok_ids:
            raise ConnectionError(f"no row of {len(rows)} published: {results[0]!r}")
        if failed:
            log.warning("outbox_rows_not_published", failed=failed, error=repr(results[0]))
        return len(ok_ids)

    async def prune(self) -> None:
        """Forget rows published longer ago than the retention period."""
        async with self._engine.begin() as conn:
            await conn.execute(_PRUNE, {"days": self._retention_days})

    async def _prune_quietly(self) -> None:
        try:
            await self.prune()
        except Exception as exc:  # pruning is housekeeping; publishing matters more
            log.warning("outbox_prune_failed", error=str(exc))

    async def _publish(self, row: object) -> None:
        exchange = await self._exchange(row.exchange)  # type: ignore[attr-defined]
        message = aio_pika.Message(
            body=row.body,  # type: ignore[attr-defined]
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(row.event_id),  # type: ignore[attr-defined]
            type=row.message_type,  # type: ignore[attr-defined]
            headers=row.headers,  # type: ignore[attr-defined]
            user_id=self._login,  # the broker refuses it unless it is the connection's login
        )
        await exchange.publish(message, routing_key=row.routing_key, mandatory=True)  # type: ignore[attr-defined]

    async def _exchange(self, name: str) -> AbstractExchange:
        if name not in self._exchanges:
            channel = await self._get_channel()
            self._exchanges[name] = await channel.get_exchange(name, ensure=False)
        return self._exchanges[name]

    async def _get_channel(self) -> AbstractChannel:
        if self._connection is None or self._connection.is_closed:
            self._connection = await amqp.connect_robust(
                self._amqp_url,
                client_properties={"connection_name": "outbox-relay"},
                reconnect_interval=self._reconnect_interval_s,
            )
            self._channel = None
        if self._channel is None or self._channel.is_closed:
            self._channel = await self._connection.channel(
                publisher_confirms=True, on_return_raises=True
            )
            self._exchanges.clear()
        return self._channel

    @property
    def node(self) -> str | None:
        """The node the relay publishes through, password hidden (None while unconnected)."""
        connection = self._connection
        return connection.node if isinstance(connection, amqp.NodeRotatingConnection) else None

    async def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        self._exchanges.clear()
        if connection is not None and not connection.is_closed:
            try:
                await connection.close()
            except Exception as exc:  # closing a dead connection may itself fail
                log.debug("outbox_close_failed", error=str(exc))

    async def _refresh_backlog_quietly(self) -> None:
        try:
            await self._refresh_backlog()
        except Exception as exc:  # a gauge, like pruning: it must never stop the relay
            log.warning("outbox_backlog_read_failed", error=str(exc))

    async def _refresh_backlog(self) -> None:
        async with self._engine.connect() as conn:
            count, age = (await conn.execute(_BACKLOG)).one()
        self._metrics.outbox_backlog.set(count)
        self._metrics.outbox_oldest_age.set(float(age or 0))
