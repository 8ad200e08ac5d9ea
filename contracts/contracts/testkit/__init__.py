"""A departmental system's side of the bus, for its own tests against a running Orderflow (a
staging system, or ``orderflow up`` on a laptop): send commands as your login, wait for their
answers, and wait for events, each checked against the published schema.

    pip install "orderflow-contracts[testkit]"

    async with OrderflowBus.connect("amqp://finance:...@rabbitmq:5672/") as bus:
        await bus.listen("payment.received")
        sent = await bus.send(RecordPayment(...), correlation_id=str(order_id))
        answer = await bus.answer(sent)            # CommandAccepted or CommandRejected
        received = await bus.event("payment.received", correlation_id=str(order_id))

Everything here is what ``docs/integration.md`` tells a team to do by hand: one queue named
``<login>.<anything>`` bound to your answers and the events you may read, commands published
with confirms, ``mandatory`` and the AMQP ``user_id`` of your login. The pytest fixtures are in
``contracts.testkit.plugin`` (``pytest_plugins = ["contracts.testkit.plugin"]``).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import unquote, urlsplit

import aio_pika
import aio_pika.abc

from contracts.base import Command, Message
from contracts.envelope import Envelope
from contracts.events.outcomes import CommandAccepted, CommandRejected, sender_token
from contracts.registry import COMMANDS_EXCHANGE, EVENTS_EXCHANGE, REGISTRY

Answer = CommandAccepted | CommandRejected


class NotSeen(AssertionError):
    """What a test waited for did not come within its time."""


def login_of(amqp_url: str) -> str:
    """The broker login of an AMQP URL (RabbitMQ's ``guest`` when it names none)."""
    user = urlsplit(amqp_url.split(",", 1)[0].strip()).username
    return unquote(user) if user else "guest"


def schema_of(type_name: str, version: int) -> dict[str, Any]:
    """The published JSON Schema of a message's payload, as shipped with the contracts."""
    text = resources.files("contracts").joinpath(f"schemas/{type_name}.v{version}.json")
    return dict(json.loads(text.read_text()))


def check(envelope: Envelope) -> Message:
    """The envelope's payload as its model, refusing what breaks the published schema (with
    ``jsonschema`` installed) or the model."""
    try:
        import jsonschema
    except ImportError:  # the model alone checks it
        pass
    else:
        jsonschema.validate(envelope.payload, schema_of(envelope.type, envelope.version))
    return envelope.open()


class OrderflowBus:
    """One connection as one departmental system; see the module's docstring."""

    def __init__(
        self,
        connection: aio_pika.abc.AbstractRobustConnection,
        login: str,
        namespace: str,
        vouched: bool = True,
    ) -> None:
        self.login, self.namespace, self._vouched = login, namespace, vouched
        self._connection = connection
        self._channel: aio_pika.abc.AbstractChannel | None = None
        self._queue: aio_pika.abc.AbstractQueue | None = None
        self.received: list[Envelope] = []
        self._answers_taken: set[uuid.UUID] = set()
        self._arrived = asyncio.Condition()

    @classmethod
    @asynccontextmanager
    async def connect(
        cls, amqp_url: str, namespace: str = "", system: str | None = None
    ) -> AsyncIterator[OrderflowBus]:
        """Connected as the URL's login, listening to its answers; closed on exit (its
        queue is exclusive: it goes with the connection). ``namespace`` prefixes the exchange
        names where a test system runs under one (``t42.orderflow.events``).

        ``system``: on a development broker where every system shares one login (``guest``,
        trusted by the services there), the system you play; your messages then name it as
        their producer and carry no ``user_id``, and your answers come to its name."""
        connection = await aio_pika.connect_robust(amqp_url)
        login = login_of(amqp_url)
        played = system if system is not None and system != login else None
        bus = cls(connection, played or login, namespace, vouched=played is None)
        try:
            await bus._start()
            yield bus
        finally:
            await connection.close()

    async def _start(self) -> None:
        self._channel = await self._connection.channel(publisher_confirms=True)
        name = f"{self.login}.testkit.{uuid.uuid4().hex[:12]}"
        self._queue = await self._channel.declare_queue(name, exclusive=True)
        for outcome in ("command.accepted", "command.rejected"):
            await self._bind(f"{outcome}.{sender_token(self.login)}")
        await self._queue.consume(self._take, no_ack=True)

    async def listen(self, *event_types: str) -> None:
        """Receive these events too (within your login's grant: the broker refuses others)."""
        for event_type in event_types:
            await self._bind(REGISTRY.latest(event_type).routing_key)

    async def _bind(self, routing_key: str) -> None:
        assert self._queue is not None
        await self._queue.bind(self.namespace + EVENTS_EXCHANGE, routing_key=routing_key)

    async def _take(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with self._arrived:
            self.received.append(Envelope.from_json(message.body))
            self._arrived.notify_all()

    async def send(
        self, command: Command, correlation_id: str, event_id: uuid.UUID | None = None
    ) -> Envelope:
        """Publish a command as your login; the broker confirms it or the call raises (a
        command nobody takes is returned, not lost). The same ``event_id`` sends it again."""
        assert self._channel is not None
        spec = REGISTRY.spec_for(type(command))
        envelope = Envelope.wrap(
            command,
            producer=self.login,
            correlation_id=correlation_id,
            occurred_at=datetime.now(UTC),
            **({"event_id": event_id} if event_id else {}),
        )
        exchange = await self._channel.get_exchange(
            self.namespace + COMMANDS_EXCHANGE, ensure=False
        )
        await exchange.publish(
            aio_pika.Message(
                envelope.to_json(),
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=str(envelope.event_id),
                # the broker checks it against the connection's login
                user_id=self.login if self._vouched else None,
            ),
            routing_key=spec.routing_key,
            mandatory=True,
        )
        return envelope

    async def answer(self, sent: Envelope, within_s: float = 30.0) -> Answer:
        """The service's next answer to a command you sent: each call takes one answer, so
        the same envelope sent again gets its own (``repeated``) answer on the next call."""
        command_id = str(sent.event_id)
        found = await self._wait(
            lambda e: (
                e.type.startswith("command.")
                and e.payload.get("command_id") == command_id
                and e.event_id not in self._answers_taken
            ),
            within_s,
            f"an answer to {sent.type} {command_id}",
        )
        self._answers_taken.add(found.event_id)
        if found.type == "command.accepted":
            return found.open_as(CommandAccepted)
        return found.open_as(CommandRejected)

    async def event(
        self,
        event_type: str,
        correlation_id: str | None = None,
        where: Callable[[Message], bool] = lambda _: True,
        within_s: float = 30.0,
    ) -> Message:
        """The first ``event_type`` received (about ``correlation_id``, matching ``where``),
        checked against its published schema; ``listen`` to it first."""

        def matches(envelope: Envelope) -> bool:
            if envelope.type != event_type:
                return False
            if correlation_id is not None and envelope.correlation_id != correlation_id:
                return False
            return where(check(envelope))

        return check(await self._wait(matches, within_s, f"{event_type} {correlation_id or ''}"))

    async def _wait(
        self, wanted: Callable[[Envelope], bool], within_s: float, what: str
    ) -> Envelope:
        def seen() -> list[Envelope]:
            return [e for e in self.received if wanted(e)]

        try:
            async with asyncio.timeout(within_s), self._arrived:
                await self._arrived.wait_for(lambda: bool(seen()))
        except TimeoutError:
            raise NotSeen(f"no {what} within {within_s:.0f} s") from None
        return seen()[0]
