"""Identity on the bus, proven on the real broker with the rendered definitions: each service's
user writes only the events it publishes, each departmental system only its commands and binds
only its answers and the events it is entitled to; the broker refuses a borrowed ``user_id``;
and a consumer dead-letters an event whose broker login is not its publisher's."""

from __future__ import annotations

import itertools
import json
import uuid

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused, ChannelPreconditionFailed

from contracts.envelope import Envelope
from contracts.events.outcomes import sender_token
from orderflow.deploy_rabbitmq import SYSTEMS, ServiceTopology, render
from shared import deadletters
from shared.clock import SystemClock
from shared.topology import Topology
from tests.harness import eventually
from tests.infra import Infra, rabbitmqctl
from tests.integration.deploy.test_broker_permissions import _with_user, import_definitions
from tests.integration.kit.probe import ProbeState, cancelled, effects, make_runtime, probe_settings

_runs = itertools.count(1)


@pytest.fixture(scope="module")
def deployed(infra: Infra, namespace: str):
    """The definitions of the sales and warehouse services (no queues) and of finance's
    system, imported; each user's password is ``pw-<user>``."""
    if not infra.local_broker:
        pytest.skip("needs rabbitmqctl on the broker's machine")
    services = [ServiceTopology(name, [], [], 20) for name in ("sales", "warehouse")]
    finance = [s for s in SYSTEMS if s.login == "finance"]
    rendered = render(services, namespace, finance)
    import_definitions(rendered)
    users = [u["name"] for u in json.loads(rendered)["users"]]
    for user in users:
        rabbitmqctl("change_password", user, f"pw-{user}")
    try:
        yield
    finally:
        for user in users:
            rabbitmqctl("delete_user", user)


async def _connect(infra: Infra, user: str) -> aio_pika.abc.AbstractConnection:
    return await aio_pika.connect(_with_user(infra.amqp_url, user, f"pw-{user}"))


async def _publish(
    connection: aio_pika.abc.AbstractConnection, exchange: str, key: str, **properties: object
) -> None:
    channel = await connection.channel(publisher_confirms=True)
    target = await channel.get_exchange(exchange, ensure=False)
    await target.publish(aio_pika.Message(b"{}", **properties), routing_key=key)  # type: ignore[arg-type]


async def test_a_service_user_publishes_only_the_events_its_service_publishes(
    deployed, infra, namespace
):
    events = Topology(namespace).events_exchange
    async with await _connect(infra, f"{namespace}warehouse") as warehouse:
        await _publish(warehouse, events, "goods.ready")
        await _publish(warehouse, events, "command.rejected.finance")
        for forged in ("payment.received", "complaint.resolved", "goods.delivered"):
            with pytest.raises(ChannelAccessRefused, match="topic"):
                await _publish(warehouse, events, forged)


async def test_the_broker_refuses_a_user_id_other_than_the_login(deployed, infra, namespace):
    events = Topology(namespace).events_exchange
    async with await _connect(infra, f"{namespace}warehouse") as warehouse:
        await _publish(warehouse, events, "goods.ready", user_id=f"{namespace}warehouse")
        with pytest.raises(ChannelPreconditionFailed, match="user_id"):
            await _publish(warehouse, events, "order.reviewed", user_id=f"{namespace}sales")


async def test_a_departmental_system_sends_its_commands_and_binds_its_answers_only(
    deployed, infra, namespace
):
    topo = Topology(namespace)
    finance = f"{namespace}finance"
    async with await _connect(infra, finance) as connection:
        await _publish(connection, topo.commands_exchange, "sales.record_payment")
        with pytest.raises(ChannelAccessRefused, match="topic"):
            await _publish(connection, topo.commands_exchange, "sales.submit_order")
        with pytest.raises(ChannelAccessRefused):
            await _publish(connection, topo.events_exchange, "payment.received")
        channel = await connection.channel()
        queue = await channel.declare_queue(f"{finance}.answers", durable=True)
        await queue.bind(topo.events_exchange, f"command.accepted.{sender_token(finance)}")
        await queue.bind(topo.events_exchange, "invoice.issued")
        for outside in (f"command.accepted.{sender_token(namespace + 'edi-gateway')}", "#"):
            with pytest.raises(ChannelAccessRefused, match="topic"):
                denied = await connection.channel()
                await (await denied.get_queue(queue.name, ensure=False)).bind(
                    topo.events_exchange, outside
                )
        with pytest.raises(ChannelAccessRefused):
            denied = await connection.channel()
            await denied.declare_queue(f"{namespace}sales.mine-now", durable=True)
        await queue.delete(if_unused=False, if_empty=False)


@pytest.fixture
async def strict_probe(deployed, infra: Infra, namespace: str):
    """A consumer of ``order.cancelled`` (a sales event) trusting no shared login, the sales
    service's broker user as deployed, and an intruder with write access to the exchange."""
    if not infra.local_broker:
        pytest.skip("needs rabbitmqctl on the broker's machine")
    name = f"strict{next(_runs)}"
    settings = probe_settings(infra.amqp_url, infra.database_url, namespace, name).model_copy(
        update={"trusted_broker_logins": []}
    )
    runtime = make_runtime(settings, ProbeState())
    await runtime.start()
    users = [f"{namespace}intruder"]
    for user in users:
        rabbitmqctl("add_user", user, f"pw-{user}")
        rabbitmqctl("set_permissions", "-p", "/", user, "^$", ".*", ".*")
    try:
        yield runtime
    finally:
        await runtime.stop()
        for user in users:
            rabbitmqctl("delete_user", user)


async def _send(infra, runtime, login: str, producer: str, user_id: str | None) -> uuid.UUID:
    event = cancelled()
    at = SystemClock().now()
    envelope = Envelope.wrap(
        event, producer=producer, correlation_id=str(event.order_id), occurred_at=at
    )
    async with await _connect(infra, login) as connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(runtime.topology.events_exchange, ensure=False)
        await exchange.publish(
            aio_pika.Message(
                envelope.to_json(), message_id=str(envelope.event_id), user_id=user_id
            ),
            routing_key="order.cancelled",
        )
    return envelope.event_id


async def test_a_consumer_takes_an_event_only_from_its_publishers_login(
    strict_probe, infra, namespace
):
    runtime = strict_probe
    sales, intruder = f"{namespace}sales", f"{namespace}intruder"
    genuine = await _send(infra, runtime, sales, "sales", sales)
    borrowed = await _send(infra, runtime, intruder, "sales", intruder)
    anonymous = await _send(infra, runtime, intruder, "sales", None)

    async def genuine_handled() -> bool:
        return genuine in await effects(runtime)

    await eventually(genuine_handled)
    dlq = runtime.topology.dead_letter_queue(runtime.routes[0].queue)
    found: dict[str, deadletters.DeadLetter] = {}

    async def both_dead() -> bool:
        letters = await deadletters.list_dead_letters(runtime.settings.amqp_url, dlq)
        found.update({x.message_id: x for x in letters})
        return {str(borrowed), str(anonymous)} <= set(found)

    await eventually(both_dead)
    assert f"published by the broker login '{intruder}'" in found[str(borrowed)].reason
    assert "without a broker login" in found[str(anonymous)].reason
    assert set(await effects(runtime)) == {genuine}
