from __future__ import annotations

import pytest
from pydantic import Field

from contracts.base import Command, Event
from contracts.events.logistics import GoodsShipped
from contracts.events.sla import SlaBreached
from contracts.registry import (
    COMMANDS_EXCHANGE,
    EVENTS_EXCHANGE,
    REGISTRY,
    DuplicateMessageType,
    Registry,
    UnknownMessageType,
)

# Every event DESIGN.md names in the order's life (`*.delayed` and `*.sla_breached` spelled out).
DESIGN_EVENTS = {
    "order.info_requested",
    "order.received",
    "order.review_requested",
    "order.reviewed",
    "order.approval_requested",
    "order.approved",
    "order.rejected",
    "order.confirmation_sent",
    "payment.received",
    "order.confirmed",
    "stock.reserved",
    "production.scheduled",
    "production.completed",
    "inspection.failed",
    "goods.ready",
    "goods.shipped",
    "shipment.updated",
    "shipment.exception",
    "goods.delivered",
    "invoice.issued",
    "payment.reminder_sent",
    "payment.overdue",
    "order.completed",
    "production.delayed",
    "shipment.delayed",
    "order.delivery_date_changed",
    "order.amended",
    "order.cancelled",
    "complaint.opened",
    "complaint.assigned",
    "complaint.resolved",
    "return.authorized",
    "return.inspected",
    "order.sla_breached",
    "shipment.sla_breached",
    "complaint.sla_breached",
    "service_ticket.sla_breached",
    "payment.sla_breached",
}

# The full published catalogue: adding or dropping a message is a deliberate edit here.
ALL_EVENTS = DESIGN_EVENTS | {
    "order.signed",
    "stock.released",
    "production.progressed",
    "production.cancelled",
    "material.requisitioned",
    "inspection.passed",
    "stock.below_reorder_point",
    "complaint.escalated",
    "return.received",
    "service_ticket.opened",
    "service_ticket.dispatched",
    "service_ticket.closed",
    "spare_part.ordered",
    "survey.sent",
    "survey.answered",
    "shipment.cancelled",
    "shipment.cancellation_refused",
    "return.settlement_requested",
    "credit_note.issued",
    "command.accepted",
    "command.rejected",
}

ALL_COMMANDS = {
    "sales.submit_order",
    "sales.amend_order",
    "sales.cancel_order",
    "sales.sign_confirmation",
    "sales.record_payment",
    "production.report_progress",
    "production.receive_materials",
    "logistics.record_scan",
    "warehouse.confirm_pick",
    "warehouse.confirm_pack",
    "customer_service.open_complaint",
}


def test_every_event_of_the_design_is_registered() -> None:
    registered = {spec.type for spec in REGISTRY.events()}
    assert DESIGN_EVENTS - registered == set()


def test_the_catalogue_is_exactly_the_expected_one() -> None:
    assert {spec.type for spec in REGISTRY.events()} == ALL_EVENTS
    assert {spec.type for spec in REGISTRY.commands()} == ALL_COMMANDS
    assert len(REGISTRY.all()) == len(ALL_EVENTS) + len(ALL_COMMANDS)


def test_routing_key_is_the_type_and_exchange_follows_the_kind() -> None:
    for spec in REGISTRY.all():
        assert spec.routing_key == spec.type
        assert spec.kind == spec.model.kind
        expected = EVENTS_EXCHANGE if spec.kind == "event" else COMMANDS_EXCHANGE
        assert spec.exchange == expected
    assert REGISTRY.get("goods.shipped", 1).routing_key == "goods.shipped"
    assert REGISTRY.get("sales.submit_order", 1).exchange == "orderflow.commands"


def test_events_and_commands_derive_from_their_base() -> None:
    assert all(issubclass(spec.model, Event) for spec in REGISTRY.events())
    assert all(issubclass(spec.model, Command) for spec in REGISTRY.commands())


def test_lookups() -> None:
    spec = REGISTRY.get("goods.shipped", 1)
    assert spec.model is GoodsShipped
    assert REGISTRY.spec_for(GoodsShipped) is spec
    assert REGISTRY.latest("goods.shipped") is spec
    assert REGISTRY.find("goods.shipped", 2) is None
    assert ("goods.shipped", 1) in REGISTRY and "goods.shipped" in REGISTRY
    assert REGISTRY.all() == sorted(REGISTRY.all(), key=lambda s: (s.type, s.version))
    with pytest.raises(UnknownMessageType):
        REGISTRY.get("goods.shipped", 2)
    with pytest.raises(UnknownMessageType):
        REGISTRY.latest("goods.teleported")
    with pytest.raises(UnknownMessageType):
        REGISTRY.spec_for(SlaBreached)


def test_sla_breach_types_share_one_payload_shape_with_a_class_each() -> None:
    sla = [spec for spec in REGISTRY.events() if spec.type.endswith(".sla_breached")]
    assert len(sla) == 5
    assert len({spec.model for spec in sla}) == 5
    assert all(issubclass(spec.model, SlaBreached) for spec in sla)
    assert all(spec.model.model_fields.keys() == SlaBreached.model_fields.keys() for spec in sla)


def test_latest_picks_the_highest_version() -> None:
    registry = Registry()

    class V1(Event):
        message_type = "thing.happened"
        message_version = 1

    class V2(Event):
        message_type = "thing.happened"
        message_version = 2

    registry.register(V2)
    registry.register(V1)
    assert registry.latest("thing.happened").model is V2
    assert [spec.version for spec in registry.all()] == [1, 2]


def test_duplicate_registration_raises() -> None:
    registry = Registry()

    class First(Event):
        message_type = "thing.happened"
        message_version = 1

    class Second(Event):
        message_type = "thing.happened"
        message_version = 1

    registry.register(First)
    with pytest.raises(DuplicateMessageType):
        registry.register(Second)
    with pytest.raises(DuplicateMessageType):
        registry.register(First)
    assert registry.get("thing.happened", 1).model is First


def test_the_global_registry_refuses_a_taken_type() -> None:
    before = len(REGISTRY)

    class Impostor(Event):
        message_type = "goods.shipped"
        message_version = 1

    with pytest.raises(DuplicateMessageType):
        REGISTRY.register(Impostor)
    assert len(REGISTRY) == before
    assert REGISTRY.get("goods.shipped", 1).model is GoodsShipped


def test_bad_registrations_are_refused() -> None:
    registry = Registry()

    class NoDot(Event):
        message_type = "shipped"
        message_version = 1

    class ZeroVersion(Event):
        message_type = "goods.shipped"
        message_version = 0

    with pytest.warns(UserWarning, match="shadows"):

        class FieldNamedKind(Event):
            message_type = "payment.made"
            message_version = 1
            kind: str = Field(description="clashes with the class attribute")

    for model in (NoDot, ZeroVersion, FieldNamedKind):
        with pytest.raises(ValueError):
            registry.register(model)
    assert len(registry) == 0
