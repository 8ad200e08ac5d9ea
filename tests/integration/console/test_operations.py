"""Dead-letter replay from the console: the operator's only, confirmed before it happens, on
the real broker, with a real service listing its queues to the operator's own token."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest

from contracts.roles import Role
from shared import deadletters
from tests.harness import eventually
from tests.infra import Infra


@pytest.fixture
async def poison(console, infra: Infra) -> AsyncIterator[tuple[str, str]]:
    """A malformed message dead-lettered by the warehouse: (its dead-letter queue, its id)."""
    runtime = console.warehouse
    queue = runtime.routes[0].queue
    dlq = runtime.topology.dead_letter_queue(queue)
    message_id = f"console-poison-{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.default_exchange.publish(
            aio_pika.Message(b"{not json", message_id=message_id), routing_key=queue
        )

        async def dead() -> bool:
            return message_id in await _ids(infra.amqp_url, dlq)

        await eventually(dead, timeout=60, interval=0.2)
        yield dlq, message_id
        for name in (queue, dlq):  # the replayed copy is malformed still: it goes with the test
            await (await channel.declare_queue(name, passive=True)).purge()


async def _ids(amqp_url: str, dlq: str) -> set[str]:
    return {x.message_id for x in await deadletters.list_dead_letters(amqp_url, dlq)}


async def test_the_operator_sees_the_dead_letter_confirms_and_replays_it(console, poison, infra):
    dlq, message_id = poison
    async with console.person("ops.chen", Role.OPERATOR) as operator:
        page = await operator.get("/dead-letters")
        assert page.status_code == 200
        # the warehouse listed its queues to the operator's token, forwarded by the console
        assert f'data-queue="{dlq}"' in page.text
        assert f'id="replay-{message_id}"' in page.text and 'id="rebuild"' in page.text

        asked = await operator.post(
            "/act/dead-letters/replay", {"queue": dlq, "message_id": message_id}
        )
        assert asked.status_code == 200, asked.text
        assert asked.json()["ok"] is False and "1 条消息" in asked.json()["confirm"]
        assert message_id in await _ids(infra.amqp_url, dlq), "nothing happens unconfirmed"

        done = await operator.post(
            "/act/dead-letters/replay", {"queue": dlq, "message_id": message_id, "confirm": True}
        )
        assert done.status_code == 200 and done.json()["ok"] is True, done.text
        assert "重新投递 1 条消息" in done.json()["message"]


async def test_others_may_not_replay_and_the_auditor_only_looks(console, poison):
    dlq, message_id = poison
    body = {"queue": dlq, "message_id": message_id, "confirm": True}
    async with console.person("wang", Role.WAREHOUSE, Role.SALES_MANAGER) as clerk:
        assert (await clerk.get("/dead-letters")).status_code == 403
        refused = await clerk.post("/act/dead-letters/replay", body)
        assert refused.status_code == 403 and refused.json()["roles"] == ["operator"]
    async with console.person("audit.liu", Role.AUDITOR) as auditor:
        page = await auditor.get("/dead-letters")
        assert page.status_code == 200 and f'data-message-id="{message_id}"' in page.text
        assert f'id="replay-{message_id}"' not in page.text and 'id="rebuild"' not in page.text
        assert (await auditor.post("/act/dead-letters/replay", body)).status_code == 403


async def test_a_replay_names_what_it_does_not_know(console, poison):
    dlq, _ = poison
    async with console.person("ops.chen", Role.OPERATOR) as operator:
        stranger = await operator.post("/act/dead-letters/replay", {"queue": "elsewhere.dlq"})
        assert stranger.status_code == 404 and stranger.json()["field"] == "queue"
        missing = await operator.post(
            "/act/dead-letters/replay", {"queue": dlq, "message_id": "no-such-message"}
        )
        assert missing.status_code == 404 and missing.json()["field"] == "message_id"
