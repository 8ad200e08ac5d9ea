"""Start the identity provider and the five services as OS processes against a given broker,
database and namespace; the story's cast made as users there."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orderflow.carrier_sim import signing_secrets, with_carrier_simulator
from orderflow.services import IDENTITY, SERVICES, ServiceProcess
from orderflow.simulate.cast import Cast, provision
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
    identity: ServiceProcess
    passwords: dict[str, str]
    signing: dict[str, str]

    def schemas(self) -> dict[str, str]:
        return {name: schema_of(self.namespace, name) for name in self.services}

    def cast(self) -> Cast:
        """The story's cast, signing in to this system's identity provider (a World closes it)."""
        return Cast.at(self.identity.base_url(), self.passwords, self.signing)


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
    # the system under test delivers through the built-in carrier simulator
    return with_carrier_simulator(env)


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
    identity = ServiceProcess(IDENTITY.name, free_port())
    env = service_env([identity, *services], amqp_url, database_url, namespace, **extra)
    log_path = Path(tempfile.gettempdir()) / f"orderflow-{label}-{namespace.split('.')[0]}.log"
    with log_path.open("w") as logs:
        now = datetime.now(UTC)
        clock = AnchoredClock(now, now, speed)
        supervisor = Supervisor([identity, *services], env=env, log_to=logs, clock=clock)
        await supervisor.start()
        try:
            await supervisor.wait_ready(within_s=180)
            passwords = await provision(_identity_settings(identity, database_url, namespace))
            yield RunningSystem(
                supervisor,
                {s.name: s for s in services},
                namespace,
                amqp_url,
                database_url,
                log_path,
                identity,
                passwords,
                signing_secrets(env),
            )
        finally:
            await supervisor.stop()


def _identity_settings(identity: ServiceProcess, database_url: str, namespace: str) -> object:
    from services.identity.settings import IdentitySettings

    return IdentitySettings(
        database_url=database_url,
        db_schema=schema_of(namespace, identity.name),
        issuer=identity.base_url(),
    )
