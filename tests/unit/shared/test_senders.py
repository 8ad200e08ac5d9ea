"""Who may publish an event, as the broker login on the message and the envelope's producer
say; the publishers each event has."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts.publishers import SERVICES, published_by, publishers, publishers_of
from contracts.registry import REGISTRY
from shared.senders import Forged, SenderCheck, login_of

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
STRICT = SenderCheck("t1.", "t1.sales", frozenset())
SHARED = SenderCheck("t1.", "guest", frozenset({"guest"}))


def test_every_event_has_publishers_among_the_services() -> None:
    table = publishers()
    assert set(table) == {spec.type for spec in REGISTRY.events()}
    for event_type, who in table.items():
        assert who and who <= set(SERVICES), event_type


def test_an_event_belongs_to_the_service_whose_module_defines_it_unless_shared() -> None:
    assert publishers_of("payment.received") == {"sales"}
    assert publishers_of("goods.ready") == {"warehouse"}
    assert publishers_of("order.reviewed") == {"sales", "warehouse", "production"}
    assert publishers_of("command.rejected") == set(SERVICES)
    assert publishers_of("return.received") == {"logistics"}
    assert "payment.received" not in published_by("warehouse")
    assert "order.reviewed" in published_by("warehouse")


def test_the_producers_own_login_is_taken() -> None:
    STRICT.check("goods.ready", "warehouse", "t1.warehouse")
    STRICT.check("order.reviewed", "production", "t1.production")


def test_another_services_login_cannot_publish_an_event_it_does_not_own() -> None:
    with pytest.raises(Forged, match="published by sales, not by 'warehouse'"):
        STRICT.check("payment.received", "warehouse", "t1.warehouse")


def test_naming_the_owner_as_producer_does_not_hide_the_login() -> None:
    with pytest.raises(Forged, match=r"broker login 't1\.warehouse'"):
        STRICT.check("payment.received", "sales", "t1.warehouse")
    with pytest.raises(Forged, match=r"broker login 't1\.warehouse'"):
        STRICT.check("order.reviewed", "production", "t1.warehouse")


def test_a_departmental_systems_login_cannot_publish_events() -> None:
    with pytest.raises(Forged):
        STRICT.check("goods.delivered", "logistics", "t1.carrier-bridge")


def test_without_a_login_an_event_is_refused_where_no_login_is_shared() -> None:
    with pytest.raises(Forged, match="without a broker login"):
        STRICT.check("goods.ready", "warehouse", None)
    SHARED.check("goods.ready", "warehouse", None)


def test_the_consumers_own_copies_are_taken() -> None:
    """A retry or a dead letter replayed is published by the consumer itself; the login of the
    original is checked from what the consumer noted when it first arrived."""
    STRICT.check("goods.ready", "warehouse", "t1.sales")


def test_a_service_named_as_producer_of_what_it_does_not_publish_is_refused_even_when_shared() -> (
    None
):
    with pytest.raises(Forged, match="not by 'warehouse'"):
        SHARED.check("payment.received", "warehouse", "guest")
    SHARED.check("payment.received", "a-test-harness", "guest")


@pytest.mark.parametrize(
    ("url", "login"),
    [
        ("amqp://guest:guest@127.0.0.1:5672/", "guest"),
        ("amqp://t1.sales:pw@rabbit-0:5672/,amqp://t1.sales:pw@rabbit-1:5672/", "t1.sales"),
        ("amqp://127.0.0.1/", "guest"),
        ("amqp://finance%2Dsys:x@h/", "finance-sys"),
    ],
)
def test_the_login_comes_from_the_url(url: str, login: str) -> None:
    assert login_of(url) == login


async def test_a_service_cannot_put_an_event_it_does_not_publish_in_its_outbox() -> None:
    """Where the mistake is made: the warehouse's code emitting ``payment.received`` fails in
    its own transaction instead of being refused by every consumer later."""
    from decimal import Decimal
    from uuid import uuid4

    from contracts.enums import PaymentKind
    from contracts.events.sales import PaymentReceived
    from shared.errors import PermanentError
    from shared.outbox import OutboxWriter
    from shared.topology import Topology

    payment = PaymentReceived(
        order_id=uuid4(),
        order_no="202612-001",
        payment_id=uuid4(),
        payment_kind=PaymentKind.DEPOSIT,
        amount=Decimal("1"),
        currency="CNY",
        received_on=NOW.date(),
        reference="r",
        fully_paid=False,
    )
    with pytest.raises(PermanentError, match=r"warehouse does not publish payment\.received"):
        await OutboxWriter("warehouse", Topology()).add(
            None,  # type: ignore[arg-type]  # refused before the session is used
            payment,
            correlation_id="c",
            causation_id=None,
            occurred_at=NOW,
        )
