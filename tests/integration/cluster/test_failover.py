"""Outgrowing one broker: a service given all three nodes of a RabbitMQ cluster keeps going when
the node it is connected to stops in the middle of a stream, and nothing is lost or doubled."""

from __future__ import annotations

import asyncio
import json
import uuid
from contextlib import suppress

import pytest
from yarl import URL

from shared.runtime import ServiceRuntime
from tests.harness import eventually
from tests.integration.kit.probe import ProbeState, cancelled, effects, make_runtime, probe_settings
from tests.private_infra import PrivateNode

pytestmark = pytest.mark.cluster

ORDERS = 300
STOP_TIMEOUT_S = 30


def _port(node_url: str | None) -> int | None:
    return URL(node_url).port if node_url else None


def _addresses(nodes: list[PrivateNode]) -> str:
    return ",".join(node.amqp_url for node in nodes)


def _queue_members(node: PrivateNode, queue: str) -> tuple[str, set[str], set[str]]:
    out = node.ctl("list_queues", "name", "type", "members", "online", "--formatter", "json")
    (row,) = [q for q in json.loads(out) if q["name"] == queue]
    return row["type"], set(row["members"]), set(row["online"])


async def test_losing_the_node_a_service_is_on_loses_and_doubles_nothing(
    cluster: list[PrivateNode], infra, namespace
):
    n0, n1, n2 = cluster
    settings = probe_settings(
        _addresses([n0, n1, n2]), infra.database_url, f"{namespace}cluster.", "clustered"
    ).model_copy(
        # a small prefetch keeps each replica to a few database connections on a shared server
        update={"amqp_reconnect_interval_s": 0.5, "prefetch": 8}
    )
    # two replicas of one service: the first on n0 (the node that will stop), the second on n1
    first = make_runtime(settings, ProbeState())
    second = make_runtime(
        settings.model_copy(update={"amqp_url": _addresses([n1, n2, n0])}), ProbeState()
    )
    runtimes: list[ServiceRuntime] = []
    produced: list[uuid.UUID] = []

    async def produce() -> None:
        for _ in range(ORDERS):
            async with first.new_uow() as uow:
                event = cancelled()
                produced.append(await uow.emit(event, correlation_id=str(event.order_id)))
                await uow.commit()
            await asyncio.sleep(0.01)  # a steady stream, not one burst

    producer: asyncio.Task[None] | None = None
    try:
        for runtime in (first, second):
            await runtime.start()
            runtimes.append(runtime)
        assert _port(first.broker.node) == n0.amqp_port
        queue = first.routes[0].queue
        kind, members, _ = _queue_members(n1, queue)
        assert kind == "quorum"
        assert members == {n0.node, n1.node, n2.node}, "the queue is replicated on every node"

        producer = asyncio.create_task(produce())

        async def some_handled() -> bool:
            return len(await effects(first)) >= ORDERS // 4

        await eventually(some_handled, timeout=60)
        assert _port(first.relay.node) == n0.amqp_port
        await asyncio.to_thread(n0.stop_app)  # mid-stream, under the first replica's feet

        async def moved_and_ready() -> bool:
            on_survivor = _port(first.broker.node) in {n1.amqp_port, n2.amqp_port}
            checks = [await r.readiness() for r in runtimes]
            return on_survivor and all(all(c.values()) for c in checks)

        await eventually(moved_and_ready, timeout=60, interval=0.2)
        await producer

        async def all_handled() -> bool:
            return len(await effects(first)) >= len(produced)

        await eventually(all_handled, timeout=90, interval=0.2)
        seen = await effects(first)
        assert set(seen) == set(produced), "nothing lost"
        assert set(seen.values()) == {1}, "nothing doubled"
        assert _port(first.relay.node) in {n1.amqp_port, n2.amqp_port}

        await asyncio.to_thread(n0.start_app)
        assert n1.running_nodes() == {n0.node, n1.node, n2.node}, "the node rejoined"

        async def replica_back_online() -> bool:
            return n0.node in _queue_members(n1, queue)[2]

        await eventually(replica_back_online, timeout=60, interval=0.5)
    finally:
        if producer is not None:
            producer.cancel()
        # bounded: a replica stuck on a dead node must not keep the cluster from being removed
        for runtime in reversed(runtimes):
            with suppress(TimeoutError):
                await asyncio.wait_for(runtime.stop(), STOP_TIMEOUT_S)
        for runtime in (first, second):
            await runtime.engine.dispose()
