"""The test kit a departmental team gets with the contracts (``contracts.testkit``, issue 17 item
5), used as its docstring says against a real sales service on the real broker: a command sent as
the team's login is answered, the event it causes arrives checked against the published schema,
the same command again gets the first answer and other content under the same reference is
refused visibly."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonschema
import pytest

from contracts.commands.sales import SubmitOrder
from contracts.envelope import Envelope
from contracts.events.outcomes import CommandAccepted, CommandRejected, RejectionCode
from contracts.events.sales import OrderReceived
from contracts.testkit import NotSeen, OrderflowBus, check
from contracts.testkit.plugin import LOCAL, broker_for_tests
from tests.integration.sales.helpers import order_body, seed


async def test_a_team_sends_an_order_reads_its_answer_and_the_event_it_caused(sales, infra):
    customer = await seed(sales, "A")
    command = SubmitOrder.model_validate(order_body(customer))
    reference = command.client_reference
    namespace = sales.runtime.settings.namespace
    async with OrderflowBus.connect(infra.amqp_url, namespace=namespace) as bus:
        await bus.listen("order.received")
        answer = await bus.answer(await bus.send(command, correlation_id=reference))
        assert isinstance(answer, CommandAccepted), answer
        assert answer.reference == reference
        received = await bus.event(
            "order.received", where=lambda e: getattr(e, "client_reference", "") == reference
        )
        assert isinstance(received, OrderReceived)
        assert str(received.order_id) == answer.created["order_id"]

        again = await bus.answer(await bus.send(command, correlation_id=reference))
        assert isinstance(again, CommandAccepted)
        assert (again.repeated, again.created) == (True, answer.created)

        changed = command.model_copy(update={"notes": "and two more frames"})
        refused = await bus.answer(await bus.send(changed, correlation_id=reference))
        assert isinstance(refused, CommandRejected)
        assert refused.reason_code == RejectionCode.REFERENCE_REUSED

        with pytest.raises(NotSeen, match=r"order\.received"):
            await bus.event("order.received", correlation_id="no such order", within_s=0.5)


def test_the_kit_refuses_a_message_that_breaks_the_published_schema():
    command = SubmitOrder.model_validate(order_body("C1001"))
    good = Envelope.wrap(command, producer="edi", correlation_id="r", occurred_at=_now())
    assert check(good) == command
    broken = good.model_copy(update={"payload": {**good.payload, "currency": "yuan"}})
    with pytest.raises(jsonschema.ValidationError, match="yuan"):
        check(broken)


def test_the_fixture_takes_the_url_it_is_given_else_the_local_broker(monkeypatch):
    monkeypatch.setenv("ORDERFLOW_TESTKIT_AMQP_URL", "amqp://finance:pw@staging:5672/")
    with broker_for_tests() as url:
        assert url == "amqp://finance:pw@staging:5672/"
    monkeypatch.delenv("ORDERFLOW_TESTKIT_AMQP_URL")
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")  # no engine answers
    with broker_for_tests() as url:
        assert url == LOCAL


def _now() -> datetime:
    return datetime.now(UTC)
