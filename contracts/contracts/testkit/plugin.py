"""pytest fixtures for a departmental team's tests; in your ``conftest.py``:
``pytest_plugins = ["contracts.testkit.plugin"]``.

``orderflow_amqp_url``: where the tests talk to Orderflow's broker, as your system's login:
1. ``ORDERFLOW_TESTKIT_AMQP_URL`` when set (a staging system, or ``orderflow up`` on a laptop);
2. else, where a Docker engine answers, a RabbitMQ started for the session with testcontainers
   (``ORDERFLOW_TESTKIT_RABBITMQ_IMAGE``), Orderflow's two exchanges declared on it: for tests of
   what your system publishes and of your consumer, with no Orderflow services behind it;
3. else the local broker, ``amqp://guest:guest@127.0.0.1:5672/``.

``orderflow_namespace``: ``ORDERFLOW_TESTKIT_NAMESPACE``, the prefix a test system's exchanges
carry (empty for a real one).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from contracts.registry import COMMANDS_EXCHANGE, EVENTS_EXCHANGE

LOCAL = "amqp://guest:guest@127.0.0.1:5672/"
IMAGE = "rabbitmq:3.13-management"


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env().ping()
    except Exception:  # no client library, no engine, no permission: no Docker here
        return False
    return True


async def _declare_exchanges(amqp_url: str, namespace: str) -> None:
    import aio_pika

    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for name in (EVENTS_EXCHANGE, COMMANDS_EXCHANGE):
            await channel.declare_exchange(
                namespace + name, aio_pika.ExchangeType.TOPIC, durable=True
            )


@pytest.fixture(scope="session")
def orderflow_namespace() -> str:
    return os.environ.get("ORDERFLOW_TESTKIT_NAMESPACE", "")


@pytest.fixture(scope="session")
def orderflow_amqp_url(orderflow_namespace: str) -> Iterator[str]:
    with broker_for_tests(orderflow_namespace) as url:
        yield url


@contextmanager
def broker_for_tests(namespace: str = "") -> Iterator[str]:
    """The broker URL the fixture gives, in the order the module's docstring says."""
    given = os.environ.get("ORDERFLOW_TESTKIT_AMQP_URL")
    if given:
        yield given
        return
    if not _docker_answers():
        yield LOCAL
        return
    from testcontainers.community.rabbitmq import RabbitMqContainer

    image = os.environ.get("ORDERFLOW_TESTKIT_RABBITMQ_IMAGE", IMAGE)
    with RabbitMqContainer(image) as rabbit:
        host, port = rabbit.get_container_host_ip(), rabbit.get_exposed_port(rabbit.port)
        url = f"amqp://{rabbit.username}:{rabbit.password}@{host}:{port}/"
        asyncio.run(_declare_exchanges(url, namespace))
        yield url
