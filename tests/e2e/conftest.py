"""The five services as separate OS processes on this run's namespace, ports and schemas."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from orderflow.services import ServiceProcess
from tests.e2e.system import RunningSystem, running_system
from tests.infra import Infra


@pytest.fixture(scope="session")
def e2e_namespace(namespace: str) -> str:
    """A namespace apart from the service suites', which declare the same queues as classic."""
    return f"{namespace}e2e."


@pytest.fixture(scope="session")
async def running(infra: Infra, e2e_namespace: str) -> AsyncIterator[RunningSystem]:
    async with running_system(infra.amqp_url, infra.database_url, e2e_namespace) as system:
        yield system


@pytest.fixture(scope="session")
def system(running: RunningSystem) -> dict[str, ServiceProcess]:
    return running.services
