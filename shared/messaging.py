"""Consuming: typed handlers on quorum queues, inbox-deduplicated, retried or dead-lettered.

A service declares its handlers on a ``MessageBus``::

    bus = MessageBus("warehouse")

    @bus.on_event(OrderConfirmed)
    async def on_order_confirmed(event: OrderConfirmed, ctx: HandlerContext) -> None:
        await reserve_stock(ctx.uow, event)

Each handler runs inside a unit of work whose first statement records the event_id in the inbox
under the handler's consumer name, so a redelivered message commits nothing new. The consumer name
is declared with the handler (``@bus.on_event(OrderConfirmed, consumer="warehouse.reserve")``)
and defaults to the name of the queue it consumes, without the deployment namespace
(``warehouse.order.confirmed``, ``sales.commands``): renaming the Python function changes
nothing. The runtime turns the bus into FastStream subscribers (see ``shared.runtime``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog

from contracts.base import Message
from contracts.envelope import Envelope
from contracts.registry import REGISTRY
from shared.topology import Topology
from shared.uow import UnitOfWork

M = TypeVar("M", bound=Message)


@dataclass
class HandlerContext:
    """The message being handled and the unit of work it runs in (correlation, causation and
    the sending system already set on it)."""

    envelope: Envelope
    uow: UnitOfWork
    log: Any

    @property
    def correlation_id(self) -> str:
        return self.envelope.correlation_id

    async def emit(self, message: Message, correlation_id: str | None = None) -> None:
        """Emit a follow-up message caused by the one being handled."""
        await self.uow.emit(
            message,
            correlation_id=correlation_id or self.envelope.correlation_id,
            causation_id=self.envelope.event_id,
        )


# A command's handler may return what it created ({"order_id": ..., "order_no": ...}): the
# sender's ``command.accepted`` answer carries it. Event handlers return None.
Handler = Callable[[Any, HandlerContext], Awaitable[Any]]


@dataclass
class Route:
    """One work queue: its binding, and the handler for each (type, version) it receives."""

    queue: str
    exchange: str
    binding: str
    handlers: dict[tuple[str, int], tuple[str, Handler]] = field(default_factory=dict)


class MessageBus:
    """The handlers a service has; the topology decides queue names at wiring time."""

    def __init__(self, service: str) -> None:
        self.service = service
        self._events: list[tuple[type[Message], Handler, str | None]] = []
        self._commands: list[tuple[type[Message], Handler, str | None]] = []

    def on_event(
        self, model: type[M], *, consumer: str | None = None
    ) -> Callable[[Handler], Handler]:
        return self._register(self._events, model, "event", consumer)

    def on_command(
        self, model: type[M], *, consumer: str | None = None
    ) -> Callable[[Handler], Handler]:
        return self._register(self._commands, model, "command", consumer)

    def _register(
        self,
        into: list[tuple[type[Message], Handler, str | None]],
        model: type[Message],
        kind: str,
        consumer: str | None,
    ) -> Callable[[Handler], Handler]:
        if REGISTRY.spec_for(model).kind != kind:
            raise TypeError(f"{model.__name__} is not an {kind}")

        def decorator(handler: Handler) -> Handler:
            into.append((model, handler, consumer))
            return handler

        return decorator

    def routes(self, topology: Topology) -> list[Route]:
        routes: dict[str, Route] = {}
        plain = Topology()
        for model, handler, consumer in self._events:
            spec = REGISTRY.spec_for(model)
            queue = topology.event_queue(self.service, spec.routing_key)
            route = routes.setdefault(
                queue, Route(queue, topology.events_exchange, spec.routing_key)
            )
            name = consumer or plain.event_queue(self.service, spec.routing_key)
            _add(route, spec.type, spec.version, name, handler)
        for model, handler, consumer in self._commands:
            spec = REGISTRY.spec_for(model)
            queue = topology.command_queue(self.service)
            route = routes.setdefault(
                queue, Route(queue, topology.commands_exchange, f"{self.service}.#")
            )
            name = consumer or plain.command_queue(self.service)
            _add(route, spec.type, spec.version, name, handler)
        return list(routes.values())


def _add(route: Route, type_: str, version: int, consumer: str, handler: Handler) -> None:
    key = (type_, version)
    if key in route.handlers:
        raise ValueError(f"two handlers for {type_} v{version} on {route.queue}")
    route.handlers[key] = (consumer, handler)


def bind_message_context(envelope: Envelope) -> None:
    structlog.contextvars.bind_contextvars(
        event_type=envelope.type,
        event_id=str(envelope.event_id),
        correlation_id=envelope.correlation_id,
    )
