"""Two service processes given the same clock settings agree on simulated time, keep it over a
restart, and fire a durable deadline when simulated time (not the wall clock) reaches it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text

from shared import timers
from shared.clock import AnchoredClock
from tests.harness import eventually, free_port
from tests.integration.kit.probe import ProbeState, cancelled, effects, make_runtime, probe_settings

SPEED = 3600.0  # one wall second is one simulated hour
START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # months ahead: the wall clock never gets there


async def _start(settings, clock: AnchoredClock, port: int) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "PROBE_SERVICE_NAME": settings.service_name,
        "PROBE_AMQP_URL": settings.amqp_url,
        "PROBE_DATABASE_URL": settings.database_url,
        "PROBE_DB_SCHEMA": settings.db_schema,
        "PROBE_NAMESPACE": settings.namespace,
        "PROBE_HTTP_PORT": str(port),
        "PROBE_RELAY_IDLE_POLL_S": "0.05",
        "PROBE_LOG_LEVEL": "WARNING",
        **clock.env("PROBE_"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.kit.probe_main",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )

    async def ready() -> bool:
        assert process.returncode is None, "probe process died on start"
        try:
            async with httpx.AsyncClient(timeout=1) as client:
                response = await client.get(f"http://127.0.0.1:{port}/health/ready")
                return response.status_code == 200
        except httpx.HTTPError:
            return False

    await eventually(ready, timeout=60, interval=0.2)
    return process


async def _now(port: int) -> tuple[datetime, dict]:
    async with httpx.AsyncClient(timeout=2) as client:
        body = (await client.get(f"http://127.0.0.1:{port}/clock")).json()
    return datetime.fromisoformat(body["now"]), body


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)


async def test_processes_agree_on_simulated_time_and_a_deadline_fires_on_it(infra, namespace):
    clock = AnchoredClock(START, datetime.now(UTC), SPEED)
    ns = f"{namespace}clock."
    first = probe_settings(infra.amqp_url, infra.database_url, ns, "clocka")
    second = probe_settings(infra.amqp_url, infra.database_url, ns, "clockb")
    ports = free_port(), free_port()
    processes = list(
        await asyncio.gather(
            *(_start(s, clock, p) for s, p in zip((first, second), ports, strict=True))
        )
    )
    writer = make_runtime(first, ProbeState(), clock=clock)
    try:
        before = clock.now()
        a, body_a = await _now(ports[0])
        b, body_b = await _now(ports[1])
        after = clock.now()
        assert before <= a <= b <= after, (before, a, b, after)
        assert body_a["simulated"] and body_a["speed"] == body_b["speed"] == SPEED
        assert datetime.fromisoformat(body_a["start"]) == START

        # A deadline two simulated hours ahead: due in about two wall seconds.
        due = clock.now() + timedelta(hours=2)
        event = cancelled()
        async with writer.new_uow() as uow:
            await timers.schedule(uow.session, "clock-test", due, event, str(event.order_id))
            await uow.commit()
        scheduled_wall = time.monotonic()

        async def fired() -> bool:
            return len(await effects(writer)) == 1

        await eventually(fired, timeout=30, interval=0.1)
        waited = time.monotonic() - scheduled_wall
        async with writer.engine.connect() as conn:
            fired_at = (
                await conn.execute(text("SELECT fired_at FROM timer WHERE key = 'clock-test'"))
            ).scalar_one()
        assert fired_at >= due, "never before its simulated due time"
        assert fired_at - due < timedelta(hours=1), "within the scan interval (0.1 s = 6 min)"
        assert waited >= (due - before).total_seconds() / SPEED - 0.5

        # A restart keeps simulated time where it had got to: it does not start over.
        reached, _ = await _now(ports[0])
        await _stop(processes[0])
        processes[0] = await _start(first, clock, ports[0])
        again, _ = await _now(ports[0])
        other, _ = await _now(ports[1])
        assert reached < again <= other <= clock.now()
    finally:
        for process in processes:
            await _stop(process)
        await writer.engine.dispose()
