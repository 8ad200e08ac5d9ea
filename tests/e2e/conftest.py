"""The five services, and the console over them, as OS processes on this run's namespace."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from orderflow.services import CONSOLE, ServiceProcess
from orderflow.simulate import World
from orderflow.supervisor import Supervisor
from tests.e2e.system import RunningSystem, running_system
from tests.harness import free_port
from tests.infra import Infra


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: the console's dead-letter test replays a malformed message, and the
    tests that count the run's dead letters must not meet a copy still on its way back."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def e2e_namespace(namespace: str) -> str:
    """A namespace apart from the service suites', which declare the same queues as classic."""
    return f"{namespace}e2e."


@pytest.fixture(scope="session")
async def running(
    infra: Infra, e2e_namespace: str, cleanup_run: None
) -> AsyncIterator[RunningSystem]:
    """Set up after the run's clean-up, so stopped before it drops the schemas under it."""
    async with running_system(infra.amqp_url, infra.database_url, e2e_namespace) as system:
        yield system


@pytest.fixture(scope="session")
def system(running: RunningSystem) -> dict[str, ServiceProcess]:
    return running.services


@pytest.fixture(scope="session")
async def console(running: RunningSystem, infra: Infra) -> AsyncIterator[str]:
    """The console as its own process over the five services above, people signing in to the
    system's identity provider; yields its base URL."""
    console = ServiceProcess(CONSOLE.name, free_port())
    env = {
        **os.environ,
        "CONSOLE_AMQP_URL": infra.amqp_url,
        "CONSOLE_REFRESH_S": "1",
        "CONSOLE_LOG_JSON": "true",
        "CONSOLE_LOG_LEVEL": "WARNING",
        "CONSOLE_AUTH_ISSUER": running.identity.base_url(),
        **{f"CONSOLE_{s.name.upper()}_URL": s.base_url() for s in running.services.values()},
    }
    log_path = Path(tempfile.gettempdir()) / f"orderflow-e2e-console-{console.port}.log"
    with log_path.open("w") as logs:
        supervisor = Supervisor([console], env=env, log_to=logs)
        await supervisor.start()
        try:
            await supervisor.wait_ready(within_s=60)
            yield console.base_url()
        finally:
            await supervisor.stop()


@pytest.fixture
async def world(running: RunningSystem, infra: Infra, e2e_namespace: str) -> AsyncIterator[World]:
    """The simulator's actors on the services' simulated clock, signed in, with master data
    seeded."""
    world = World.connect(running.services, infra.amqp_url, e2e_namespace, running.cast())
    await world.seed()
    yield world
    await world.close()
