"""Per-service broker users from the rendered definitions: own queues yes, others' no."""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused

from orderflow.deploy_rabbitmq import from_runtimes, render
from tests.harness import eventually
from tests.infra import Infra, rabbitmqctl
from tests.integration.kit.probe import (
    ProbeState,
    cancelled,
    effects,
    make_runtime,
    probe_settings,
)

_names = itertools.count(1)


def import_definitions(rendered: str) -> None:
    """rabbitmqctl runs as the broker's user: the file must be readable by it."""
    folder = Path(tempfile.mkdtemp(prefix="orderflow-defs-"))
    try:
        folder.chmod(0o755)
        path = folder / "definitions.json"
        path.write_text(rendered)
        path.chmod(0o644)
        rabbitmqctl("import_definitions", str(path))
    finally:
        shutil.rmtree(folder)


def _with_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user}:{password}@{host}:{parts.port or 5672}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@pytest.fixture
async def two_services(infra: Infra, namespace: str):
    if not infra.local_broker:
        pytest.skip("needs rabbitmqctl on the broker's machine")
    n = next(_names)
    names = [f"permA{n}", f"permB{n}"]
    runtimes = [
        make_runtime(
            probe_settings(infra.amqp_url, infra.database_url, namespace, name), ProbeState()
        )
        for name in names
    ]
    # the probes stand in for services publishing order.cancelled
    probes = [replace(t, publishes=["order.cancelled"]) for t in from_runtimes(runtimes)]
    rendered = render(probes, namespace, systems=())
    import_definitions(rendered)
    users = [f"{namespace}{name}" for name in names]
    for user in users:
        rabbitmqctl("change_password", user, f"pw-{user}")
    for runtime in runtimes:
        await runtime.engine.dispose()
    try:
        yield names, users, json.loads(rendered)
    finally:
        for user in json.loads(rendered)["users"]:
            rabbitmqctl("delete_user", user["name"])


async def test_service_runs_as_its_own_user_against_predeclared_topology(
    two_services, infra, namespace
):
    names, users, _ = two_services
    url = _with_user(infra.amqp_url, users[0], f"pw-{users[0]}")
    settings = probe_settings(url, infra.database_url, namespace, names[0]).model_copy(
        update={"declare_topology": False}
    )
    runtime = make_runtime(settings, ProbeState())
    await runtime.start()
    try:
        async with runtime.new_uow() as uow:
            event = cancelled()
            event_id = await uow.emit(event, correlation_id=str(event.order_id))
            await uow.commit()

        async def handled() -> bool:
            return event_id in await effects(runtime)

        await eventually(handled)
    finally:
        await runtime.stop()


async def test_service_user_cannot_touch_another_services_queues(two_services, infra, namespace):
    names, users, definitions = two_services
    own = f"{namespace}{names[0]}.order.cancelled"
    other = f"{namespace}{names[1]}.order.cancelled"
    queues = {q["name"] for q in definitions["queues"]}
    assert {own, other} <= queues
    url = _with_user(infra.amqp_url, users[0], f"pw-{users[0]}")
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        own_queue = await channel.get_queue(own, ensure=True)
        await own_queue.consume(_ack)  # allowed
        with pytest.raises(ChannelAccessRefused):
            denied = await connection.channel()
            queue = await denied.get_queue(other, ensure=False)
            await queue.consume(_ack)
        with pytest.raises(ChannelAccessRefused):
            denied = await connection.channel(publisher_confirms=True)
            exchange = await denied.get_exchange(f"{namespace}{names[1]}.dead-letter", ensure=False)
            await exchange.publish(aio_pika.Message(b"x"), routing_key=f"{other}.dlq")
        with pytest.raises(ChannelAccessRefused):
            denied = await connection.channel()
            await denied.declare_queue(f"{namespace}{names[0]}.sneaky", durable=True)


async def _ack(message: aio_pika.abc.AbstractIncomingMessage) -> None:
    await message.ack()


async def test_imported_keda_user_carries_the_monitoring_tag(two_services, namespace):
    listed = rabbitmqctl("list_users", "-q", "--no-table-headers")
    tags = {line.split()[0]: line.split(None, 1)[1] for line in listed.splitlines() if line.strip()}
    assert "monitoring" in tags[f"{namespace}keda"]
    _, users, _ = two_services
    assert "monitoring" not in tags[users[0]]
