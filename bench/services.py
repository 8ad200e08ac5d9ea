"""The five services as processes for a benchmark run: own namespace, schemas and ports, with
the identity provider their actors sign in to.

Configured as a deployment would be (default prefetch, relay and timer polls, quorum queues);
the log level is lowered to WARNING, and the database pool can be made smaller to fit a shared
server's connection limit. Everything the run created is removed at the end.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from pathlib import Path

import aio_pika
import httpx
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from bench.stats import peak_rss_mb, sample_sum
from orderflow.carrier_sim import signing_secrets, with_carrier_simulator
from orderflow.services import IDENTITY, SERVICES, ServiceProcess
from orderflow.simulate.cast import Cast, provision
from orderflow.supervisor import Supervisor
from shared.topology import Topology
from tests.harness import free_port
from tests.infra import DEFAULT_AMQP, DEFAULT_DB, broker_exchanges, broker_queues

_TICKS = os.sysconf("SC_CLK_TCK")


class BenchSystem:
    def __init__(self, run: str, log_path: Path, pool: tuple[int, int] = (8, 4)) -> None:
        self.namespace = f"b{run}."
        self.amqp_url = os.environ.get("ORDERFLOW_TEST_AMQP_URL", DEFAULT_AMQP)
        self.database_url = os.environ.get("ORDERFLOW_TEST_DATABASE_URL", DEFAULT_DB)
        self.events_exchange = Topology(self.namespace).events_exchange
        self.schemas = {s.name: f"b{run}_{s.name}" for s in SERVICES}
        self.services = {s.name: ServiceProcess(s.name, free_port()) for s in SERVICES}
        self.identity = ServiceProcess(IDENTITY.name, free_port())
        self.identity_schema = f"b{run}_identity"
        self._log_path = log_path
        env = dict(os.environ)
        for service in [*self.services.values(), self.identity]:
            prefix = service.env_prefix
            env.update(
                {
                    f"{prefix}AMQP_URL": self.amqp_url,
                    f"{prefix}DATABASE_URL": self.database_url,
                    f"{prefix}NAMESPACE": self.namespace,
                    f"{prefix}DB_SCHEMA": self.schemas.get(service.name, self.identity_schema),
                    f"{prefix}LOG_JSON": "true",
                    f"{prefix}LOG_LEVEL": "WARNING",
                    f"{prefix}DB_POOL_SIZE": str(pool[0]),
                    f"{prefix}DB_MAX_OVERFLOW": str(pool[1]),
                }
            )
        # the benchmark's carrier is the built-in simulator: its routes are switched on
        self._env = with_carrier_simulator(env)
        self.supervisor: Supervisor | None = None
        self.slowest: list[tuple[float, str, str]] = []  # outbox rows: delay, service, type

    async def start(self) -> None:
        self._logs = self._log_path.open("w")
        processes = [self.identity, *self.services.values()]
        self.supervisor = Supervisor(processes, env=self._env, log_to=self._logs)
        await self.supervisor.start()
        await self.supervisor.wait_ready(within_s=180)

    async def cast(self) -> Cast:
        """The story's cast as users of this run's identity provider, signed in on first use."""
        from services.identity.settings import IdentitySettings

        settings = IdentitySettings(
            database_url=self.database_url,
            db_schema=self.identity_schema,
            issuer=self.identity.base_url(),
        )
        return Cast.at(
            self.identity.base_url(), await provision(settings), signing_secrets(self._env)
        )

    async def stop(self) -> None:
        if self.supervisor is not None:
            await self.supervisor.stop()
        self._logs.close()
        await self._clean_up()

    def _pid(self, name: str) -> int:
        assert self.supervisor is not None
        return self.supervisor.processes[name].pid

    async def counted(self, client: httpx.AsyncClient, sample: str) -> dict[str, float]:
        """A counter's total so far, per service, from its /metrics."""
        out = {}
        for name, service in self.services.items():
            page = (await client.get(f"{service.base_url()}/metrics")).text
            out[name] = sample_sum(page, sample)
        return out

    @staticmethod
    def machine_cpu_seconds() -> float:
        """CPU seconds the whole machine has been busy (every process, all cores)."""
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle, iowait
        return (sum(fields[:8]) - idle) / _TICKS

    def cpu_seconds(self) -> dict[str, float]:
        """User + system CPU seconds each service process has used."""
        out = {}
        for name in self.services:
            fields = Path(f"/proc/{self._pid(name)}/stat").read_text().rsplit(")", 1)[1].split()
            out[name] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
        return out

    def peak_rss_mb(self) -> dict[str, float]:
        return {name: peak_rss_mb(self._pid(name)) for name in self.services}

    async def outbox_delays(self, since: datetime, until: datetime) -> dict[str, list[float]]:
        """Insert -> broker confirm, in seconds, of every outbox row written in the window."""
        engine = create_async_engine(self.database_url)
        delays: dict[str, list[float]] = {}
        try:
            async with engine.connect() as conn:
                for name, schema in self.schemas.items():
                    rows = await conn.execute(
                        text(
                            "SELECT EXTRACT(EPOCH FROM published_at - created_at), message_type"
                            f' FROM "{schema}".outbox_message'
                            " WHERE created_at >= :since AND created_at < :until"
                            " AND published_at IS NOT NULL"
                        ),
                        {"since": since, "until": until},
                    )
                    for delay, message_type in rows.all():
                        delays.setdefault(name, []).append(float(delay))
                        self.slowest.append((float(delay), name, message_type))
            self.slowest = sorted(self.slowest, reverse=True)[:10]
        finally:
            await engine.dispose()
        return delays

    async def free_connections(self) -> int:
        """Connections PostgreSQL would still accept (0 when it refuses this one)."""
        engine = create_async_engine(self.database_url)
        query = text(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int - count(*)"
            " FROM pg_stat_activity"
        )
        try:
            async with engine.connect() as conn:
                return int((await conn.execute(query)).scalar_one())
        except DBAPIError:
            return 0
        finally:
            await engine.dispose()

    async def _clean_up(self) -> None:
        engine = create_async_engine(self.database_url)
        try:
            for schema in [*self.schemas.values(), self.identity_schema]:  # one each, as tests do
                async with engine.begin() as conn:
                    await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            await engine.dispose()
        await delete_broker_namespace(self.amqp_url, self.namespace)


async def delete_broker_namespace(amqp_url: str, namespace: str) -> None:
    """Delete every queue and exchange whose name starts with the run's namespace."""
    queues = await asyncio.to_thread(broker_queues, namespace)
    exchanges = await asyncio.to_thread(broker_exchanges, namespace)
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in queues:
            await channel.queue_delete(queue)
        for exchange in exchanges:
            await channel.exchange_delete(exchange)
