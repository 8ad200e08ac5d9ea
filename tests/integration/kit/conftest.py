from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import pytest

from shared.runtime import ServiceRuntime
from tests.infra import Infra
from tests.integration.kit.probe import ProbeState, make_runtime, probe_settings

_names = itertools.count(1)

StartProbe = Callable[..., Awaitable[ServiceRuntime]]


@pytest.fixture
async def start_probe(infra: Infra, namespace: str) -> AsyncIterator[StartProbe]:
    """Start probe replicas; replicas of one test share a name (queues, schema)."""
    started: list[ServiceRuntime] = []
    name = f"probe{next(_names)}"

    async def start(
        state: ProbeState, runtime_kwargs: dict | None = None, **overrides: object
    ) -> ServiceRuntime:
        # the kit's probes keep to a namespace of their own: a service's consumers elsewhere in
        # the run must not make the probes' messages routable or declare their queues
        settings = probe_settings(infra.amqp_url, infra.database_url, f"{namespace}kit.", name)
        settings = settings.model_copy(update=overrides)
        runtime = make_runtime(settings, state, **(runtime_kwargs or {}))
        await runtime.start()
        started.append(runtime)
        return runtime

    yield start
    for runtime in reversed(started):
        await runtime.stop()


@pytest.fixture
async def amqp_channel(infra: Infra) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)
