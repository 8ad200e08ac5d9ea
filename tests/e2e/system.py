"""Start the five services as OS processes against a given broker, database and namespace."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orderflow.services import SERVICES, ServiceProcess
from orderflow.supervisor import Supervisor
from shared.clock import AnchoredClock
from tests.harness import free_port

# A simulated day passes in two wall seconds: the story's signatures, transit days and late
# payments happen within the run, and every deadline fires on the same simulated clock.
E2E_SPEED = 43_200.0


def schema_of(namespace: str, service: str) -> str:
    return f"{namespace.replace('.', '_').rstrip('_')}_{service}"


@dataclass
class RunningSystem:
    supervisor: Supervisor
    services: dict[str, ServiceProcess]
    namespace: str
    amqp_url: str
    database_url: str
    log_path: Path

    def schemas(self) -> dict[str, str]:
        return {name: schema_of(self.namespace, name) for name in self.services}


def service_env(
    services: list[ServiceProcess], amqp_url: str, database_url: str, namespace: str, **extra: str
) -> dict[str, str]:
    env = dict(os.environ)
    for service in services:
        prefix = service.env_prefix
        env.update(
            {
                f"{prefix}AMQP_URL": amqp_url,
                f"{prefix}DATABASE_URL": database_url,
                f"{prefix}NAMESPACE": namespace,
                f"{prefix}DB_SCHEMA": schema_of(namespace, service.name),
                f"{prefix}RELAY_IDLE_POLL_S": "0.05",
                f"{prefix}TIMER_POLL_S": "0.2",
                f"{prefix}DB_POOL_SIZE": "3",  # five processes share the server's limit
                f"{prefix}DB_MAX_OVERFLOW": "3",
                f"{prefix}LOG_JSON": "true",
                f"{prefix}LOG_LEVEL": "WARNING",
                **{f"{prefix}{key}": value for key, value in extra.items()},
            }
        )
    return env


@asynccontextmanager
async def running_system(
    amqp_url: str,
    database_url: str,
    namespace: str,
    label: str = "e2e",
    speed: float = E2E_SPEED,
    **extra: str,
) -> AsyncIterator[RunningSystem]:
    """The five services, ready; stopped gracefully on exit. Their logs go to a temp file
    (``$TMPDIR/orderflow-<label>-<run>.log``)."""
    services = [ServiceProcess(s.name, free_port()) for s in SERVICES]
    env = service_env(services, amqp_url, database_url, namespace, **extra)
    log_path = Path(tempfile.gettempdir()) / f"orderflow-{label}-{namespace.split('.')[0]}.log"
    with log_path.open("w") as logs:
        now = datetime.now(UTC)
        clock = AnchoredClock(now, now, speed)
        supervisor = Supervisor(services, env=env, log_to=logs, clock=clock)
        await supervisor.start()
        try:
            await supervisor.wait_ready(within_s=180)
            yield RunningSystem(
                supervisor,
                {s.name: s for s in services},
                namespace,
                amqp_url,
                database_url,
                log_path,
            )
        finally:
            await supervisor.stop()
