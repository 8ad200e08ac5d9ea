"""A rolling restart (SIGTERM, start again) in the middle of a stream loses and doubles nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import httpx
import pytest

from tests.harness import eventually, free_port
from tests.integration.kit.probe import ProbeState, cancelled, effects, make_runtime, probe_settings

pytestmark = pytest.mark.disruptive


async def _start_process(settings, port: int) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "PROBE_SERVICE_NAME": settings.service_name,
        "PROBE_AMQP_URL": settings.amqp_url,
        "PROBE_DATABASE_URL": settings.database_url,
        "PROBE_DB_SCHEMA": settings.db_schema,
        "PROBE_NAMESPACE": settings.namespace,
        "PROBE_HTTP_PORT": str(port),
        "PROBE_RELAY_IDLE_POLL_S": "0.05",
        "PROBE_LOG_LEVEL": "INFO",
        "PROBE_LOG_JSON": "true",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.kit.probe_main",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )

    async def ready() -> bool:
        assert process.returncode is None, "probe process died on start"
        try:
            async with httpx.AsyncClient(timeout=1) as client:
                return (
                    await client.get(f"http://127.0.0.1:{port}/health/ready")
                ).status_code == 200
        except httpx.HTTPError:
            return False

    await eventually(ready, timeout=60, interval=0.2)
    return process


async def test_rolling_restart_mid_stream_loses_and_doubles_nothing(infra, namespace):
    settings = probe_settings(infra.amqp_url, infra.database_url, namespace, "rolling")
    # The test's own runtime only writes to the outbox: the processes relay and consume.
    writer = make_runtime(settings, ProbeState())
    port = free_port()
    first = await _start_process(settings, port)
    ids: list = []

    async def produce(count: int) -> None:
        for _ in range(count):
            async with writer.new_uow() as uow:
                event = cancelled()
                ids.append(await uow.emit(event, correlation_id=str(event.order_id)))
                await uow.commit()

    producer = asyncio.create_task(produce(600))

    async def some_handled() -> bool:
        return len(await effects(writer)) >= 100

    await eventually(some_handled, timeout=60)
    first.send_signal(signal.SIGTERM)
    _, logs = await asyncio.wait_for(first.communicate(), 60)
    assert b'"service_stopped"' in logs, "SIGTERM stops the service gracefully"
    second = await _start_process(settings, port)
    try:
        await producer

        async def all_handled() -> bool:
            return len(await effects(writer)) == len(ids)

        await eventually(all_handled, timeout=120)
        seen = await effects(writer)
        assert set(seen) == set(ids)
        assert set(seen.values()) == {1}
    finally:
        producer.cancel()
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.communicate(), 60)
        await writer.engine.dispose()
