"""A service's process: settings in, everything built and wired here, nothing at import time.

``ServiceRuntime.start()`` migrates the schema, declares the topology, attaches one FastStream
subscriber per work queue, and starts the outbox relay and the deadline scanner.
``stop()`` stops consuming, lets in-flight handlers finish, flushes the relay, then closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from uuid import UUID

import structlog
from faststream import AckPolicy
from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.schemas import Channel

from shared import amqp, db
from shared.auth import Actor, TokenVerifier
from shared.calendar import calendar_from_settings
from shared.clock import Clock, clock_from_settings, real_seconds
from shared.config import ServiceSettings
from shared.delivery import Delivery
from shared.messaging import MessageBus, Route
from shared.metrics import KitMetrics
from shared.migrate import upgrade_async
from shared.outbox import OutboxRelay, OutboxWriter
from shared.senders import SenderCheck
from shared.timers import TimerScanner
from shared.topology import Topology, declare_exchanges, declare_service_queues
from shared.uow import SYSTEM, UnitOfWork

log = structlog.get_logger("orderflow.runtime")


async def _the_message_itself(message: RabbitMessage) -> RabbitMessage:
    """What the handler is given: the whole message (headers, body, ack), undecoded."""
    return message


class ServiceRuntime:
    def __init__(
        self,
        settings: ServiceSettings,
        bus: MessageBus,
        *,
        clock: Clock | None = None,
        migrations: Path | None = None,
        run_relay: bool = True,
        run_timers: bool = True,
        contexts: Callable[[UnitOfWork], Any] | None = None,
    ) -> None:
        self.settings = settings
        self.bus = bus
        # What a use case is given per unit of work (the service's bootstrap makes it): the HTTP
        # layer builds it for a request as the message handlers do for a message.
        self.contexts: Callable[[UnitOfWork], Any] = contexts or (lambda uow: uow)
        self.clock = clock or clock_from_settings(settings)
        self.migrations = migrations
        self.calendar = calendar_from_settings(
            settings.calendar_country,
            settings.calendar_extra_days_off,
            settings.calendar_extra_working_days,
            settings.calendar_tz,
        )
        self.topology = Topology(settings.namespace, settings.quorum_queues)
        self.metrics = KitMetrics()
        self.verifier = TokenVerifier(settings.auth_config())
        self.engine = db.make_engine(settings)
        self.sessions = db.make_sessionmaker(self.engine)
        self.outbox = OutboxWriter(settings.service_name, self.topology)
        # The relay has a connection of its own: when handlers hold every pooled connection
        # (waiting on a row lock, say), publishing what already committed must not queue behind.
        self.relay_engine = db.make_engine(settings, pool_size=1)
        self.relay = OutboxRelay(
            self.relay_engine,
            settings.amqp_url,
            self.metrics,
            reconnect_interval_s=settings.amqp_reconnect_interval_s,
            batch=settings.relay_batch,
            idle_poll_s=settings.relay_idle_poll_s,
            max_backoff_s=settings.relay_max_backoff_s,
        )
        self.scanner = TimerScanner(
            self.new_uow,
            self.clock,
            self.metrics,
            poll_s=real_seconds(self.clock, settings.timer_poll_s),
        )
        self.routes: list[Route] = bus.routes(self.topology)
        self.broker = self._build_broker()
        self._run_relay = run_relay
        self._run_timers = run_timers
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._background: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = []

    def add_background(self, job: Callable[[asyncio.Event], Coroutine[Any, Any, None]]) -> None:
        """A service's own loop (a dispatcher, a periodic check), run from ``start()`` until
        ``stop()`` sets the event it is given; stopped after consuming has stopped."""
        self._background.append(job)

    def new_uow(
        self,
        *,
        actor: Actor = SYSTEM,
        correlation_id: str | None = None,
        causation_id: UUID | None = None,
    ) -> UnitOfWork:
        return UnitOfWork(
            self.sessions,
            self.outbox,
            self.clock,
            on_commit=self.relay.wake,
            actor=actor,
            correlation_id=correlation_id,
            causation_id=causation_id,
        )

    def _build_broker(self) -> RabbitBroker:
        s = self.settings
        broker = amqp.ClusterRabbitBroker(
            s.amqp_url,
            reconnect_interval=s.amqp_reconnect_interval_s,
            logger=None,  # per-message INFO logs cost ~30 % throughput; we log what matters
            graceful_timeout=s.graceful_timeout_s,
            default_channel=Channel(prefetch_count=s.prefetch, on_return_raises=True),
            app_id=s.service_name,
            description=f"Orderflow {s.service_name} service",
            # The handler takes the raw message and parses the envelope itself: no dependency
            # injection, whose context lookup runs in a worker thread for every message.
            apply_types=False,
        )
        delivery = Delivery(
            service=s.service_name,
            topology=self.topology,
            new_uow=self.new_uow,
            publish=broker.publish,
            metrics=self.metrics,
            max_attempts=s.max_attempts,
            retry_delays_ms=s.retry_delays_ms,
            senders=SenderCheck.of(s.namespace, s.amqp_url, s.trusted_broker_logins),
        )
        for route in self.routes:
            self._subscribe(broker, delivery, route)
        return broker

    def _subscribe(self, broker: RabbitBroker, delivery: Delivery, route: Route) -> None:
        declare = self.settings.declare_topology
        queue = RabbitQueue(  # type: ignore[call-overload]
            route.queue,
            queue_type=QueueType.QUORUM if self.topology.quorum else QueueType.CLASSIC,
            durable=True,
            declare=declare,
            arguments=self.topology.work_queue_arguments(route.queue, self.settings.delivery_limit),
            routing_key=route.binding,
        )
        is_events = route.exchange == self.topology.events_exchange
        exchange = RabbitExchange(
            route.exchange,
            type=ExchangeType.TOPIC,
            durable=True,
            declare=declare,
            arguments=self.topology.events_exchange_arguments() if is_events else None,
        )
        types = ", ".join(f"{t} v{v}" for t, v in sorted(route.handlers))
        subscriber = broker.subscriber(
            queue,
            exchange,
            ack_policy=AckPolicy.MANUAL,
            title=f"{route.queue}:consume",
            description=f"Envelopes of: {types}",
            decoder=_the_message_itself,
        )

        async def consume(message: RabbitMessage) -> None:
            await delivery.handle(route, message)

        subscriber(consume)

    async def start(self) -> None:
        await self._connect_when_available()
        if self._run_relay:
            self._watch(asyncio.create_task(self.relay.run(self._stop), name="outbox-relay"))
        if self._run_timers:
            self._watch(asyncio.create_task(self.scanner.run(self._stop), name="timer-scanner"))
        for job in self._background:
            self._watch(asyncio.create_task(job(self._stop)))
        log.info("service_started", queues=[r.queue for r in self.routes])

    async def _connect_when_available(self) -> None:
        """Migrate, declare and attach consumers; while the broker or the database is away
        (a restart of either, or the service started first) wait for it with back-off instead
        of exiting, for up to ``startup_timeout_s``."""
        deadline = time.monotonic() + self.settings.startup_timeout_s
        attempt = 0
        while True:
            try:
                if self.migrations is not None:
                    await upgrade_async(self.settings, self.migrations)
                if self.settings.declare_topology:
                    await self._declare_topology()
                await self.broker.start()
                return
            except Exception as exc:
                attempt += 1
                if not db.unavailable(exc) or time.monotonic() > deadline:
                    raise
                delay = min(self.settings.relay_max_backoff_s, 0.2 * 2**attempt)
                log.warning("dependency_unavailable_at_start", error=str(exc), retry_in_s=delay)
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)

    def _watch(self, task: asyncio.Task[None]) -> None:
        """A background loop that ends by an error before ``stop()`` is logged when it ends
        (readiness then reports it), not only at shutdown."""
        self._tasks.append(task)

        def ended(done: asyncio.Task[None]) -> None:
            if not done.cancelled() and done.exception() is not None and not self._stop.is_set():
                log.error("background_task_died", task=done.get_name(), error=str(done.exception()))

        task.add_done_callback(ended)

    async def _declare_topology(self) -> None:
        connection = await amqp.connect(self.settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            await declare_exchanges(channel, self.topology)
            await declare_service_queues(
                channel,
                self.topology,
                self.settings.service_name,
                [r.queue for r in self.routes],
                self.settings.retry_delays_ms,
                self.settings.delivery_limit,
            )

    async def stop(self) -> None:
        """Graceful: stop consuming and finish in-flight handlers, then flush the relay."""
        await self.broker.stop()
        self._stop.set()
        for task in self._tasks:
            try:
                await task
            except Exception as exc:
                log.warning("background_task_failed_on_stop", error=str(exc))
        self._tasks.clear()
        await self.engine.dispose()
        await self.relay_engine.dispose()
        log.info("service_stopped")

    async def readiness(self) -> dict[str, bool]:
        return {
            "database": await db.ping(self.engine),
            "broker": await self._broker_ok(),
            "consumers": await self._consumers_attached(),
            "relay": self.relay.running or not self._run_relay,
        }

    async def _broker_ok(self) -> bool:
        try:
            return bool(await self.broker.ping(timeout=2.0))
        except Exception:
            return False

    async def _consumers_attached(self) -> bool:
        # A connection can come back while its consumers do not (FastStream #2758, aio-pika
        # #334), and a subscriber keeps its consumer tag either way: ask the channel the
        # connection has now whether the broker confirmed that consumer on it.
        subscribers: Any = self.broker.subscribers
        for sub in subscribers:
            tag, queue = getattr(sub, "_consumer_tag", None), getattr(sub, "_queue_obj", None)
            if not tag or queue is None:
                return False
            try:
                channel = await queue.channel.get_underlay_channel()
            except Exception:
                return False
            if channel.is_closed or tag not in channel.consumers:
                return False
        return True
