"""Every command is answered, on the real broker: accepted with what it created, or rejected with
the reason; the same command again gets the first answer whatever happened since; the same
reference with other content is refused; a command that breaks its schema is dead-lettered and
answered."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aio_pika
import pytest
from sqlalchemy import text

from contracts.commands.logistics import RecordScan
from contracts.enums import ShipmentStatus
from contracts.envelope import Envelope
from contracts.events.outcomes import CommandAccepted, CommandRejected, RejectionCode
from shared.errors import Conflict
from shared.messaging import HandlerContext, MessageBus
from shared.runtime import ServiceRuntime
from shared.topology import Topology
from tests.harness import eventually
from tests.infra import Infra
from tests.integration.kit.probe import MIGRATIONS, probe_settings

pytestmark = pytest.mark.integration
_runs = itertools.count(1)
SENDER = "carrier-bridge"


def _bus() -> MessageBus:
    bus = MessageBus("logistics")

    @bus.on_command(RecordScan)
    async def on_record_scan(scan: RecordScan, ctx: HandlerContext) -> dict[str, str]:
        if scan.location == "nowhere":
            raise Conflict.illegal("record a scan", "delivered", "the shipment was delivered")
        await ctx.uow.session.execute(
            text("INSERT INTO effect (event_id, order_id, handler) VALUES (:e, :o, 'scan')"),
            {"e": ctx.envelope.event_id, "o": uuid.uuid4()},
        )
        return {"scan_id": scan.scan_id, "tracking_no": scan.tracking_no}

    return bus


class Answers:
    def __init__(self, channel: aio_pika.abc.AbstractChannel, namespace: str) -> None:
        self.channel, self.topology = channel, Topology(namespace)
        self.seen: list[Envelope] = []

    async def listen(self) -> None:
        events = await self.channel.declare_exchange(
            self.topology.events_exchange,
            aio_pika.ExchangeType.TOPIC,
            durable=True,
            arguments=self.topology.events_exchange_arguments(),
        )
        queue = await self.channel.declare_queue(exclusive=True)
        await queue.bind(events, routing_key=f"command.*.{SENDER}")
        await queue.consume(self._on_answer, no_ack=True)

    async def _on_answer(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        self.seen.append(Envelope.from_json(message.body))

    async def for_command(self, command_id: uuid.UUID) -> CommandAccepted | CommandRejected:
        def found() -> list[Envelope]:
            return [e for e in self.seen if e.payload.get("command_id") == str(command_id)]

        async def answered() -> bool:
            return bool(found())

        await eventually(answered, timeout=20)
        [envelope] = found()
        model = CommandAccepted if envelope.type == "command.accepted" else CommandRejected
        return envelope.open_as(model)

    async def send(self, scan: RecordScan | dict, command_type: str = "logistics.record_scan"):
        body = scan.model_dump(mode="json") if isinstance(scan, RecordScan) else scan
        envelope = Envelope(
            event_id=uuid.uuid4(),
            type=command_type,
            version=1,
            occurred_at=datetime.now(UTC),
            producer=SENDER,
            correlation_id="shipment-1",
            payload=body,
        )
        exchange = await self.channel.get_exchange(self.topology.commands_exchange)
        await exchange.publish(
            aio_pika.Message(envelope.to_json(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=command_type,
            mandatory=True,
        )
        return envelope.event_id


@pytest.fixture
async def service(infra: Infra, namespace: str) -> AsyncIterator[tuple[ServiceRuntime, Answers]]:
    own = f"{namespace}answers{next(_runs)}."
    settings = probe_settings(infra.amqp_url, infra.database_url, own, "logistics")
    runtime = ServiceRuntime(settings, _bus(), migrations=MIGRATIONS)
    await runtime.start()
    connection = await aio_pika.connect(infra.amqp_url)
    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
    answers = Answers(channel, own)
    await answers.listen()
    yield runtime, answers
    await connection.close()
    await runtime.stop()


def _scan(scan_id: str, location: str = "Ningbo hub") -> RecordScan:
    return RecordScan(
        carrier="SIM",
        tracking_no="TRK-1",
        scan_id=scan_id,
        status=ShipmentStatus.IN_TRANSIT,
        location=location,
        at=datetime(2026, 12, 4, 8, tzinfo=UTC),
    )


async def _effects(runtime: ServiceRuntime) -> int:
    async with runtime.engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM effect"))).scalar_one())


async def test_a_command_is_accepted_with_what_it_created_and_a_repeat_gets_that_answer(service):
    runtime, answers = service
    first = await answers.for_command(await answers.send(_scan("S-1")))
    assert isinstance(first, CommandAccepted)
    assert first.created == {"scan_id": "S-1", "tracking_no": "TRK-1"}
    assert (first.reference, first.sender, first.repeated) == ("S-1", SENDER, False)
    again = await answers.for_command(await answers.send(_scan("S-1")))
    assert isinstance(again, CommandAccepted) and again.repeated
    assert again.created == first.created
    assert await _effects(runtime) == 1


async def test_the_same_reference_with_other_content_is_refused_and_changes_nothing(service):
    runtime, answers = service
    await answers.for_command(await answers.send(_scan("S-2")))
    other = await answers.for_command(await answers.send(_scan("S-2", location="Shanghai")))
    assert isinstance(other, CommandRejected)
    assert other.reason_code == RejectionCode.REFERENCE_REUSED
    assert await _effects(runtime) == 1


async def test_a_refused_command_is_answered_not_dead_lettered_and_repeats_its_answer(service):
    runtime, answers = service
    refused = await answers.for_command(await answers.send(_scan("S-3", location="nowhere")))
    assert isinstance(refused, CommandRejected)
    assert (refused.reason_code, refused.state) == (RejectionCode.CONFLICT, "delivered")
    assert "delivered" in refused.reason
    again = await answers.for_command(await answers.send(_scan("S-3", location="nowhere")))
    assert isinstance(again, CommandRejected) and again.repeated
    assert again.reason == refused.reason
    dlq = await answers.channel.declare_queue(
        runtime.topology.dead_letter_queue(runtime.topology.command_queue("logistics")),
        passive=True,
    )
    assert dlq.declaration_result.message_count == 0
    assert await _effects(runtime) == 0


async def test_a_command_breaking_its_schema_is_dead_lettered_and_answered(service):
    runtime, answers = service
    command_id = await answers.send({"carrier": "SIM", "scan_id": "S-4"})
    answer = await answers.for_command(command_id)
    assert isinstance(answer, CommandRejected)
    assert answer.reason_code == RejectionCode.SCHEMA
    assert "tracking_no" in answer.reason
    dlq = runtime.topology.dead_letter_queue(runtime.topology.command_queue("logistics"))

    async def dead_lettered() -> bool:
        queue = await answers.channel.declare_queue(dlq, passive=True)
        return queue.declaration_result.message_count == 1

    await eventually(dead_lettered)
