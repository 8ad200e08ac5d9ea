"""Connections to RabbitMQ given one node's address or the addresses of several cluster nodes.

``amqp_url`` may list several nodes of one cluster as comma-separated URLs
(``amqp://u:p@rabbit-0:5672/,amqp://u:p@rabbit-1:5672/``; a comma inside a password is written
``%2C``). Neither aio-pika nor FastStream takes more than one address (aio-pika #141), so
``NodeRotatingConnection`` keeps aio-pika's robust connection (channels, queues, bindings and
consumers restored after a reconnect) and changes only where an attempt goes: each attempt tries
the nodes in turn, starting after the one last reached, so a lost node is left for a surviving one.
Options (heartbeat, TLS) come from the first URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from typing import Any, cast

import aio_pika
from aio_pika.abc import AbstractConnection, AbstractRobustConnection
from aio_pika.exceptions import CONNECTION_EXCEPTIONS
from aio_pika.robust_connection import RobustConnection
from faststream.rabbit import RabbitBroker
from yarl import URL

# A node that swallows packets instead of refusing must not stall failover to the next one.
CONNECT_TIMEOUT_S = 5.0


def node_urls(amqp_url: str) -> list[str]:
    """The node addresses in ``amqp_url``, in order."""
    urls = [part.strip() for part in amqp_url.split(",") if part.strip()]
    if not urls:
        raise ValueError("amqp_url names no RabbitMQ node")
    return urls


def _redacted(url: URL) -> str:
    return str(url.with_password("******")) if url.password else str(url)


class NodeRotatingConnection(RobustConnection):
    """A robust connection that moves to the next node whenever it (re)connects."""

    def __init__(
        self,
        url: URL,
        loop: asyncio.AbstractEventLoop | None = None,
        *,
        other_nodes: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(url, loop=loop, **kwargs)
        self.nodes: list[URL] = [self.url, *(URL(node) for node in other_nodes)]
        self._next = 0

    async def _RobustConnection__connect_transport(self) -> None:
        # aio-pika's reconnect loop makes every attempt through this (name-mangled) method; one
        # attempt here is one pass over the nodes, and the loop waits its interval between passes.
        failure: BaseException | None = None
        for _ in self.nodes:
            self.url = self.nodes[self._next]
            self._next = (self._next + 1) % len(self.nodes)
            try:
                await super()._RobustConnection__connect_transport()  # type: ignore[misc]
                return
            except CONNECTION_EXCEPTIONS as exc:
                failure = exc
        assert failure is not None
        raise failure

    @property
    def node(self) -> str:
        """The node this connection is on (or last tried), password hidden."""
        return _redacted(self.url)


def _connection_class(other_nodes: Sequence[str]) -> type[AbstractRobustConnection]:
    # aio-pika calls connection_class(url, loop=..., ...); a partial carries the other nodes
    return cast(
        "type[AbstractRobustConnection]",
        partial(NodeRotatingConnection, other_nodes=tuple(other_nodes)),
    )


async def connect_robust(amqp_url: str, **kwargs: Any) -> AbstractRobustConnection:
    """``aio_pika.connect_robust`` over every node in ``amqp_url``."""
    first, *others = node_urls(amqp_url)
    kwargs.setdefault("timeout", CONNECT_TIMEOUT_S)
    connection: AbstractRobustConnection = await aio_pika.connect_robust(
        first, connection_class=_connection_class(others), **kwargs
    )
    return connection


async def connect(amqp_url: str, **kwargs: Any) -> AbstractConnection:
    """A plain (one-shot) connection to the first node in ``amqp_url`` that answers."""
    failure: BaseException | None = None
    for url in node_urls(amqp_url):
        try:
            connection: AbstractConnection = await aio_pika.connect(
                url, timeout=CONNECT_TIMEOUT_S, **kwargs
            )
            return connection
        except CONNECTION_EXCEPTIONS as exc:
            failure = exc
    assert failure is not None
    raise failure


class ClusterRabbitBroker(RabbitBroker):
    """FastStream's RabbitBroker given one node or several (comma-separated ``amqp_url``)."""

    def __init__(self, amqp_url: str, **kwargs: Any) -> None:
        first, *others = node_urls(amqp_url)
        kwargs.setdefault("timeout", CONNECT_TIMEOUT_S)
        super().__init__(first, **kwargs)
        # FastStream hands these keyword arguments to aio_pika.connect_robust as they are
        self._connection_kwargs["connection_class"] = _connection_class(others)

    @property
    def node(self) -> str | None:
        """The node the consumers' connection is on, password hidden (None before start)."""
        connection = self._connection
        return connection.node if isinstance(connection, NodeRotatingConnection) else None
