"""The application half of the kit: one error vocabulary, stable inbox names, deadline settings."""

from __future__ import annotations

import importlib

import pytest
from pydantic import BaseModel

from contracts.events.logistics import GoodsShipped
from contracts.events.sales import OrderConfirmed
from shared.calendar import Deadline, DeadlineRule
from shared.config import ServiceSettings
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable
from shared.failures import is_permanent, is_transient
from shared.messaging import HandlerContext, MessageBus
from shared.problems import of_refusal
from shared.topology import Topology


@pytest.mark.parametrize(
    ("error", "status", "slug"),
    [
        (NotFound("order", "202612-001"), 404, "not-found"),
        (Conflict.illegal("approve", "confirmed"), 409, "conflict"),
        (Invalid("lines.0.quantity", "must be positive"), 422, "invalid"),
        (Forbidden("needs finance", roles=["finance"]), 403, "forbidden"),
        (Unavailable("carrier not answering"), 503, "unavailable"),
    ],
)
def test_each_refusal_maps_to_one_problem_body(error, status, slug):
    problem = of_refusal(error)
    assert problem.status == status
    assert problem.type == f"urn:orderflow:problem:{slug}"
    assert problem.detail == str(error)


def test_a_conflict_names_the_state_it_was_in():
    problem = of_refusal(Conflict.illegal("approve", "confirmed", "already released"))
    assert problem.state == "confirmed"
    assert problem.detail == "cannot approve in status confirmed: already released"


def test_an_invalid_value_names_its_field():
    assert of_refusal(Invalid("requested_date", "in the past")).field == "requested_date"


def test_refusals_are_dead_lettered_at_once_and_unavailability_is_retried():
    for refusal in (NotFound("order"), Conflict.illegal("ship", "cancelled"), Invalid("x", "y")):
        assert is_permanent(refusal)
    assert not is_permanent(Unavailable("database away"))
    assert is_transient(Unavailable("database away"))


async def _noop(event: object, ctx: HandlerContext) -> None:
    return None


def _consumers(bus: MessageBus) -> dict[str, str]:
    routes = bus.routes(Topology("t123."))
    return {t: name for r in routes for (t, _), (name, _h) in r.handlers.items()}


def test_renaming_a_handler_function_does_not_change_its_inbox_key():
    async def on_order_confirmed(event: object, ctx: HandlerContext) -> None: ...

    async def reserve_stock_for_released_order(event: object, ctx: HandlerContext) -> None: ...

    before, after = MessageBus("warehouse"), MessageBus("warehouse")
    before.on_event(OrderConfirmed)(on_order_confirmed)
    after.on_event(OrderConfirmed)(reserve_stock_for_released_order)
    assert (
        _consumers(before) == _consumers(after) == {"order.confirmed": "warehouse.order.confirmed"}
    )


def test_a_consumer_name_can_be_declared_with_the_handler():
    bus = MessageBus("sales")
    bus.on_event(GoodsShipped, consumer="sales.shipping")(_noop)
    assert _consumers(bus) == {"goods.shipped": "sales.shipping"}


class _Rules(BaseModel):
    rule: DeadlineRule


@pytest.mark.parametrize(
    ("text", "unit", "length"),
    [
        ("2h", "hours", 2),
        ("10d", "days", 10),
        ("3bd", "business_days", 3),
        ("1mo", "months", 1),
        ("PT2H", "hours", 2),
        ("P10D", "days", 10),
        ("P2W", "days", 14),
        ("P1M", "months", 1),
        ('{"unit": "hours", "length": 4}', "hours", 4),
    ],
)
def test_a_deadline_reads_short_iso_and_json_forms(text, unit, length):
    assert _Rules(rule=text).rule == DeadlineRule(unit=unit, length=length)


def test_a_deadline_in_an_unknown_form_is_refused_with_the_forms_accepted():
    with pytest.raises(ValueError, match="PT24H"):
        _Rules(rule="two hours")


SERVICE_DEADLINES = {
    "sales": ("SalesSettings", "SALES_"),
    "production": ("ProductionSettings", "PRODUCTION_"),
    "logistics": ("LogisticsSettings", "LOGISTICS_"),
    "customer_service": ("CustomerServiceSettings", "CUSTOMER_SERVICE_"),
}


@pytest.mark.parametrize("service", sorted(SERVICE_DEADLINES))
def test_every_services_deadline_settings_take_the_short_form_from_the_environment(
    service, monkeypatch
):
    class_name, prefix = SERVICE_DEADLINES[service]
    cls: type[ServiceSettings] = getattr(
        importlib.import_module(f"services.{service}.settings"), class_name
    )
    fields = [
        name
        for name, field in cls.model_fields.items()
        if field.annotation is DeadlineRule
        or (field.metadata and Deadline.__metadata__[0] in field.metadata)
    ]
    assert fields, f"{service} has no deadline settings"
    for name in fields:
        monkeypatch.setenv(f"{prefix}{name.upper()}", "2h")
    settings = cls()
    for name in fields:
        assert getattr(settings, name) == DeadlineRule(unit="hours", length=2), name
