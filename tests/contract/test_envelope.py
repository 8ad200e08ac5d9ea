from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from pydantic import ValidationError

from contracts.envelope import Envelope, UnknownMessageType
from contracts.events.logistics import GoodsShipped
from contracts.events.sales import OrderReceived

from .factories import AT, ORDER_ID, goods_shipped, order_received


def _wrapped(message=None, **changes) -> Envelope:
    return Envelope.wrap(
        message or goods_shipped(),
        producer="logistics",
        correlation_id=ORDER_ID,
        occurred_at=changes.pop("occurred_at", AT),
        **changes,
    )


def test_wrap_takes_type_and_version_from_the_message_class() -> None:
    envelope = _wrapped()
    assert (envelope.type, envelope.version) == ("goods.shipped", 1)
    assert envelope.correlation_id == str(ORDER_ID)
    assert envelope.payload["tracking_no"] == "SF1234567890"
    assert envelope.payload["total_weight_kg"] == "38.5"


def test_envelope_round_trips_through_json() -> None:
    cause = uuid4()
    envelope = _wrapped(causation_id=cause)
    again = Envelope.from_json(envelope.to_json())
    assert again == envelope
    assert again.causation_id == cause
    assert again.open() == goods_shipped()


def test_wrap_keeps_a_given_event_id() -> None:
    event_id = uuid4()
    assert _wrapped(event_id=event_id).event_id == event_id


def test_open_returns_the_registered_model() -> None:
    message = _wrapped().open()
    assert isinstance(message, GoodsShipped)
    assert _wrapped().open_as(GoodsShipped).tracking_no == "SF1234567890"


def test_open_as_another_model_is_refused() -> None:
    with pytest.raises(UnknownMessageType):
        _wrapped().open_as(OrderReceived)


def test_unknown_fields_from_newer_producers_are_ignored() -> None:
    body = json.loads(_wrapped().to_json())
    body["trace_parent"] = "00-abc-01"
    body["payload"]["insurance_value"] = "1000.00"
    envelope = Envelope.from_json(json.dumps(body).encode())
    assert not hasattr(envelope, "trace_parent")
    assert envelope.open() == goods_shipped()


def test_naive_occurred_at_is_rejected() -> None:
    with pytest.raises(ValidationError):
        _wrapped(occurred_at=datetime(2026, 11, 27, 9, 30))
    body = json.loads(_wrapped().to_json())
    body["occurred_at"] = "2026-11-27T09:30:00"
    with pytest.raises(ValidationError):
        Envelope.from_json(json.dumps(body))


def test_occurred_at_is_normalised_to_utc() -> None:
    shanghai = timezone(timedelta(hours=8))
    envelope = _wrapped(occurred_at=datetime(2026, 11, 27, 17, 30, tzinfo=shanghai))
    assert envelope.occurred_at.utcoffset() == timedelta(0)
    assert envelope.occurred_at == datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert json.loads(envelope.to_json())["occurred_at"] == "2026-11-27T09:30:00Z"


def test_unknown_type_or_version_raises_unknown_message_type() -> None:
    for type_, version in (("goods.teleported", 1), ("goods.shipped", 99)):
        envelope = Envelope(
            type=type_,
            version=version,
            occurred_at=AT,
            producer="tests",
            correlation_id="x",
            payload={},
        )
        with pytest.raises(UnknownMessageType, match=type_):
            envelope.open()


def test_bad_payload_raises_validation_error() -> None:
    body = json.loads(_wrapped().to_json())
    del body["payload"]["tracking_no"]
    with pytest.raises(ValidationError):
        Envelope.from_json(json.dumps(body)).open()


def test_version_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        Envelope(
            type="goods.shipped",
            version=0,
            occurred_at=AT,
            producer="tests",
            correlation_id="x",
            payload={},
        )


def test_wrapping_an_unregistered_message_fails() -> None:
    class Loose(OrderReceived):
        """Not registered."""

    with pytest.raises(UnknownMessageType):
        _wrapped(Loose.model_validate(order_received().model_dump()))
