"""Broker outages: nothing lost, nothing doubled. These stop RabbitMQ and always bring it back."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from tests.harness import eventually
from tests.infra import Infra, rabbitmqctl
from tests.integration.kit.probe import ProbeState, cancelled, effects

pytestmark = pytest.mark.disruptive


@pytest.fixture(autouse=True)
def _needs_local_broker(infra: Infra) -> None:
    if not infra.local_broker:
        pytest.skip("needs rabbitmqctl on the broker's machine")


@contextmanager
def broker_stopped() -> Iterator[None]:
    rabbitmqctl("stop_app")
    try:
        yield
    finally:
        rabbitmqctl("start_app")
        _wait_broker_up()


def _wait_broker_up(timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            rabbitmqctl("await_startup")
            return
        except subprocess.CalledProcessError:
            continue
    raise AssertionError("RabbitMQ did not come back")


async def _emit_many(runtime, count: int) -> list:
    ids = []
    async with runtime.new_uow() as uow:
        for _ in range(count):
            event = cancelled()
            ids.append(await uow.emit(event, correlation_id=str(event.order_id)))
        await uow.commit()
    return ids


async def _unpublished(runtime) -> int:
    async with runtime.engine.connect() as conn:
        return (
            await conn.execute(
                text("SELECT count(*) FROM outbox_message WHERE published_at IS NULL")
            )
        ).scalar_one()


async def test_events_committed_while_broker_is_down_are_published_after(start_probe):
    runtime = await start_probe(ProbeState())
    with broker_stopped():
        ids = await _emit_many(runtime, 50)
        assert await _unpublished(runtime) == 50
    # relay and consumers reconnect on their own

    async def all_handled() -> bool:
        return len(await effects(runtime)) == 50

    await eventually(all_handled, timeout=90)
    seen = await effects(runtime)
    assert set(seen) == set(ids)
    assert set(seen.values()) == {1}
    assert await _unpublished(runtime) == 0


async def test_thousand_events_survive_connections_force_closed_mid_stream(start_probe):
    runtime = await start_probe(ProbeState())
    ids = await _emit_many(runtime, 500)

    async def some_handled() -> bool:
        return len(await effects(runtime)) >= 50

    await eventually(some_handled)
    rabbitmqctl("close_all_connections", "orderflow test: connections cut mid-stream")
    ids += await _emit_many(runtime, 500)

    async def all_handled() -> bool:
        return len(await effects(runtime)) == 1000

    await eventually(all_handled, timeout=120)
    seen = await effects(runtime)
    assert set(seen) == set(ids)
    assert set(seen.values()) == {1}, "an event had its effect more than once"
