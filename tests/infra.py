"""Where the real broker and database come from for a test run.

testcontainers starts RabbitMQ and PostgreSQL where a Docker engine answers; otherwise the URLs in
``ORDERFLOW_TEST_AMQP_URL`` / ``ORDERFLOW_TEST_DATABASE_URL``; otherwise the localhost defaults.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_DB = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Infra:
    amqp_url: str
    database_url: str
    containers: bool

    @property
    def local_broker(self) -> bool:
        """rabbitmqctl can reach the broker (needed to stop it or cut its connections)."""
        if self.containers or shutil.which("rabbitmqctl") is None:
            return False
        url = urlsplit(self.amqp_url)
        return url.hostname in {"127.0.0.1", "localhost"} and (url.port or 5672) == 5672


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


@contextmanager
def provide_infra() -> Iterator[Infra]:
    amqp = os.environ.get("ORDERFLOW_TEST_AMQP_URL")
    database = os.environ.get("ORDERFLOW_TEST_DATABASE_URL")
    if amqp or database or not _docker_available():
        yield Infra(amqp or DEFAULT_AMQP, database or DEFAULT_DB, containers=False)
        return
    from testcontainers.postgres import PostgresContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    with ExitStack() as stack:
        rabbit = stack.enter_context(RabbitMqContainer("rabbitmq:3.13-management"))
        pg = stack.enter_context(PostgresContainer("postgres:16", driver="asyncpg"))
        host, port = rabbit.get_container_host_ip(), rabbit.get_exposed_port(5672)
        yield Infra(f"amqp://guest:guest@{host}:{port}/", pg.get_connection_url(), True)


def rabbitmqctl(*args: str) -> str:
    result = subprocess.run(
        ["rabbitmqctl", *args], capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, result.args, result.stdout, f"{result.stderr}{result.stdout}"
        )
    return result.stdout


def broker_queues(prefix: str) -> list[str]:
    out = rabbitmqctl("list_queues", "-q", "--no-table-headers", "name")
    return [line.strip() for line in out.splitlines() if line.strip().startswith(prefix)]


def broker_exchanges(prefix: str) -> list[str]:
    out = rabbitmqctl("list_exchanges", "-q", "--no-table-headers", "name")
    return [line.strip() for line in out.splitlines() if line.strip().startswith(prefix)]
