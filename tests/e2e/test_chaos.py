"""Chaos: a seeded story of orders while services are SIGKILLed every few seconds, the broker and
the database restart once each and every broker connection is cut once. Afterwards nothing is
lost and nothing doubled (tests/e2e/invariants.py).

The broker and the database here are private instances (tests/private_infra.py): the shared ones
keep serving other runs. The disruptions stop on their own after ``CHAOS_WINDOW_S``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from orderflow.simulate import World, play
from tests import private_infra
from tests.e2e import invariants
from tests.e2e.system import RunningSystem, running_system
from tests.e2e.test_order_life import check_args, expected_states
from tests.private_infra import PrivateNode, PrivatePostgres

pytestmark = [pytest.mark.e2e, pytest.mark.chaos]

ORDERS = int(os.environ.get("ORDERFLOW_CHAOS_ORDERS", "100"))
SEED = 11
ARRIVAL_DAYS = float(os.environ.get("ORDERFLOW_CHAOS_DAYS", "5"))
CHAOS_WINDOW_S = 60.0
KILL_EVERY_S = (2.0, 4.0)
MIN_KILLS = 5
# when, in seconds into the window, the one-off disruptions happen
CONNECTIONS_CUT_AT_S, BROKER_RESTART_AT_S, DATABASE_RESTART_AT_S = 8.0, 18.0, 30.0
BROKER_DOWN_S = 4.0
RESTART_WITHIN_S = 60.0


@pytest.fixture
async def private(run_id: str) -> AsyncIterator[tuple[PrivateNode, PrivatePostgres]]:
    reason = private_infra.unavailable_reason(postgres=True)
    if reason:
        pytest.skip(reason)
    rabbit = PrivateNode(f"chaos{run_id}")
    started = await asyncio.gather(
        asyncio.to_thread(rabbit.start),
        asyncio.to_thread(PrivatePostgres.start, f"chaos{run_id}"),
        return_exceptions=True,
    )
    try:
        for result in started:
            if isinstance(result, BaseException):
                raise result
        postgres = started[1]
        assert isinstance(postgres, PrivatePostgres)
        yield rabbit, postgres
    finally:
        await asyncio.to_thread(rabbit.stop)  # also a node that failed half-way through start
        if isinstance(started[1], PrivatePostgres):
            await asyncio.to_thread(started[1].stop)


class PatientTransport(httpx.AsyncBaseTransport):
    """The outside world's clients keep trying while a service restarts: a refused or cut
    connection (also one cut in the middle of the answer), or a 5xx while its database is away,
    is tried again for up to ``patience_s``.
    Every write the story makes can be repeated (client and payment references; the same
    person confirming the same step again), so a repeat after a lost answer changes nothing."""

    def __init__(self, patience_s: float = 90.0) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._patience_s = patience_s

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self._patience_s
        body = request.read()
        while True:
            retry = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            try:
                response = await self._inner.handle_async_request(retry)
                # the body too: a service killed after its headers went out cuts it short
                await response.aread()
                if response.status_code < 500 or time.monotonic() > deadline:
                    return response
                await response.aclose()
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.3)

    async def aclose(self) -> None:
        await self._inner.aclose()


def patient_world(running: RunningSystem) -> World:
    return World(
        {
            name: httpx.AsyncClient(
                base_url=service.base_url(), timeout=10, transport=PatientTransport()
            )
            for name, service in running.services.items()
        },
        amqp_url=running.amqp_url,
        namespace=running.namespace,
        cast=running.cast(),
    )


@dataclass
class Chaos:
    """Kills a random service every few seconds and restarts it; meanwhile cuts the broker's
    connections, restarts the broker and restarts the database once each. Stops by itself
    after ``window_s``, or earlier when ``stop`` is set."""

    running: RunningSystem
    rabbit: PrivateNode
    postgres: PrivatePostgres
    rng: random.Random
    window_s: float = CHAOS_WINDOW_S
    done: list[str] = field(default_factory=list)
    _started: float = 0.0

    def _note(self, what: str) -> None:
        self.done.append(f"{time.monotonic() - self._started:5.1f}s {what}")

    async def run(self, stop: asyncio.Event) -> None:
        self._started = time.monotonic()
        await asyncio.gather(self._kills(stop), self._one_offs(stop))

    async def _pause(self, stop: asyncio.Event, seconds: float) -> bool:
        """Wait; True when it is time to end."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)
        return stop.is_set() or time.monotonic() - self._started > self.window_s

    async def _kills(self, stop: asyncio.Event) -> None:
        last, kills = "", 0
        while True:
            over = await self._pause(stop, self.rng.uniform(*KILL_EVERY_S))
            # a slow restart (during the broker's or the database's outage) can eat the
            # window: the kills go on past it until MIN_KILLS have happened, like the one-offs
            if stop.is_set() or (over and kills >= MIN_KILLS):
                return
            kills += 1
            name = self.rng.choice(sorted(set(self.running.services) - {last}))
            last = name
            killed = time.monotonic()
            await self.running.supervisor.restart(name, hard=True)
            self._note(f"SIGKILL {name}")
            # the next kill waits until this one is back: a service killed again while it
            # boots would never work at all, which tests nothing
            try:
                await self.running.supervisor.wait_ready(within_s=RESTART_WITHIN_S, only=[name])
            except (TimeoutError, RuntimeError) as exc:
                self._note(f"{name} not back: {exc}")
                raise
            self._note(f"{name} ready again after {time.monotonic() - killed:.1f}s")

    async def _one_offs(self, stop: asyncio.Event) -> None:
        plan = [
            (CONNECTIONS_CUT_AT_S, self._cut_connections),
            (BROKER_RESTART_AT_S, self._restart_broker),
            (DATABASE_RESTART_AT_S, self._restart_database),
        ]
        for at, disrupt in plan:
            wait = at - (time.monotonic() - self._started)
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
            await disrupt()  # each happens once, even when the story ended early

    async def _cut_connections(self) -> None:
        self._note("cutting connections")
        await asyncio.to_thread(self.rabbit.close_all_connections, "chaos: connections cut")
        self._note("connections cut")

    async def _restart_broker(self) -> None:
        self._note("broker stopping")
        await asyncio.to_thread(self.rabbit.stop_app)
        await asyncio.sleep(BROKER_DOWN_S)  # the outage itself
        await asyncio.to_thread(self.rabbit.start_app)
        self._note("broker restarted")

    async def _restart_database(self) -> None:
        self._note("database stopping")
        await asyncio.to_thread(self.postgres.restart, "fast")
        self._note("database restarted")


async def diagnose(running: RunningSystem, rabbit: PrivateNode, chaos: Chaos) -> str:
    """Where a stuck story stands: readiness, queue depths, orders not yet at rest."""
    lines = ["disruptions:", *chaos.done]
    async with httpx.AsyncClient(timeout=5) as client:
        for name, service in running.services.items():
            try:
                ready = (await client.get(f"{service.base_url()}/health/ready")).text
            except httpx.HTTPError as exc:
                ready = repr(exc)
            lines.append(f"{name} ready: {ready}")
    queues = await asyncio.to_thread(rabbit.queues)
    lines += [f"queue {q}: {n}" for q, n in sorted(queues.items()) if n]
    engine = create_async_engine(running.database_url)
    try:
        async with engine.connect() as conn:
            schema = running.schemas()["sales"]
            rows = await conn.execute(
                text(
                    f'SELECT order_no, status, updated_at FROM "{schema}".customer_order'
                    " WHERE status NOT IN ('completed', 'cancelled') ORDER BY order_no"
                )
            )
            lines += [f"order {r.order_no}: {r.status} since {r.updated_at}" for r in rows]
    finally:
        await engine.dispose()
    lines.append(f"service logs: {running.log_path}")
    return "\n".join(lines)


async def test_nothing_lost_nothing_doubled_while_services_broker_and_database_fail(
    private, namespace
):
    rabbit, postgres = private
    chaos_ns = f"{namespace}chaos."
    async with running_system(
        rabbit.amqp_url, postgres.database_url, chaos_ns, label="chaos"
    ) as running:
        world = patient_world(running)
        chaos = Chaos(running, rabbit, postgres, random.Random(SEED))
        stop = asyncio.Event()
        disrupting = asyncio.create_task(chaos.run(stop))
        started = time.monotonic()
        try:
            try:
                report = await play(world, ORDERS, SEED, days=ARRIVAL_DAYS, net_days=3)
            except Exception as exc:
                raise AssertionError(await diagnose(running, rabbit, chaos)) from exc
            story_s = time.monotonic() - started
            # the story may finish before the window closes: let every disruption happen
            await asyncio.wait_for(disrupting, CHAOS_WINDOW_S + 120)
        finally:
            stop.set()
            await disrupting
            await world.close()
        await running.supervisor.wait_ready(within_s=120)
        found = await invariants.eventually_none(90, **check_args(running, expected_states(report)))
        log = [
            f"story of {ORDERS} orders took {story_s:.0f}s; actors that gave up:",
            *report.failures,
            "disruptions:",
            *chaos.done,
        ]
        assert found == [], "\n".join([*found, *log])
        happened = {d.split("s ", 1)[1] for d in chaos.done}
        assert {"connections cut", "broker restarted", "database restarted"} <= happened, log
        assert sum("SIGKILL" in d for d in chaos.done) >= MIN_KILLS, log
        logging.getLogger("orderflow.chaos").warning("\n".join(log))
