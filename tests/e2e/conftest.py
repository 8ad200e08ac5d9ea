"""The five services as separate OS processes on this run's namespace, ports and schemas."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orderflow.services import SERVICES, ServiceProcess
from orderflow.supervisor import Supervisor
from shared.clock import AnchoredClock
from tests.harness import free_port
from tests.infra import Infra


@pytest.fixture(scope="session")
def e2e_namespace(namespace: str) -> str:
    """A namespace apart from the service suites', which declare the same queues as classic."""
    return f"{namespace}e2e."


# A simulated day passes in two wall seconds: the story's signatures, transit days and late
# payments happen within the run, and every deadline fires on the same simulated clock.
E2E_SPEED = 43_200.0


@pytest.fixture(scope="session")
async def system(infra: Infra, e2e_namespace: str) -> AsyncIterator[dict[str, ServiceProcess]]:
    namespace = e2e_namespace
    services = [ServiceProcess(s.name, free_port()) for s in SERVICES]
    env = dict(os.environ)
    for service in services:
        prefix = service.env_prefix
        env.update(
            {
                f"{prefix}AMQP_URL": infra.amqp_url,
                f"{prefix}DATABASE_URL": infra.database_url,
                f"{prefix}NAMESPACE": namespace,
                f"{prefix}DB_SCHEMA": f"{namespace.replace('.', '_').rstrip('_')}_{service.name}",
                f"{prefix}RELAY_IDLE_POLL_S": "0.05",
                f"{prefix}TIMER_POLL_S": "0.2",
                f"{prefix}DB_POOL_SIZE": "3",  # five processes share the server's limit
                f"{prefix}DB_MAX_OVERFLOW": "3",
                f"{prefix}LOG_JSON": "true",
                f"{prefix}LOG_LEVEL": "WARNING",  # service logs: $TMPDIR/orderflow-e2e-<run>.log
            }
        )
    log_path = Path(tempfile.gettempdir()) / f"orderflow-e2e-{namespace.split('.')[0]}.log"
    logs = log_path.open("w")
    now = datetime.now(UTC)
    supervisor = Supervisor(
        services, env=env, log_to=logs, clock=AnchoredClock(now, now, E2E_SPEED)
    )
    await supervisor.start()
    try:
        await supervisor.wait_ready(within_s=180)
        yield {s.name: s for s in services}
    finally:
        await supervisor.stop()
        logs.close()
