from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.commands.production import ReportProgress
from contracts.commands.sales import CancelOrder, RecordPayment, SubmitOrder
from contracts.envelope import Envelope
from contracts.events.sales import OrderReceived, PaymentOverdue
from contracts.export import current_schemas
from contracts.registry import REGISTRY

from .factories import AT, ORDER_ID, order_received, payment_command


def test_money_is_decimal_and_survives_the_wire_exactly() -> None:
    order = order_received()
    assert isinstance(order.total_amount, Decimal)
    assert isinstance(order.lines[0].unit_price, Decimal)
    wire = Envelope.wrap(order, producer="sales", correlation_id=ORDER_ID, occurred_at=AT)
    body = json.loads(wire.to_json())
    assert body["payload"]["lines"][0]["unit_price"] == "12.30"
    assert body["payload"]["total_amount"] == "49.20"
    again = Envelope.from_json(wire.to_json()).open_as(OrderReceived)
    assert again.lines[0].unit_price == Decimal("12.30")
    assert str(again.lines[0].unit_price) == "12.30"
    assert again == order


def test_money_fields_are_declared_decimal() -> None:
    money = {
        "total_amount": OrderReceived,
        "late_fee": PaymentOverdue,
        "amount_due": PaymentOverdue,
    }
    for name, model in money.items():
        assert Decimal in _types_of(model.model_fields[name].annotation), f"{model}.{name}"


def test_negative_money_is_rejected() -> None:
    with pytest.raises(ValidationError):
        order_received(total_amount=Decimal("-1"))


@pytest.mark.parametrize("amount", ["0.004", "1E+999999", "1234567890123.00"])
def test_money_someone_enters_is_whole_cents_that_fit_the_columns(amount: str) -> None:
    """A payment or a price sent as a command is refused unless it has at most 2 decimals and
    12 digits before the point (the services keep ``NUMERIC(14, 2)``): nothing is rounded away
    or overflows inside a handler."""
    good = payment_command()
    assert good.amount == Decimal("100.00")
    with pytest.raises(ValidationError, match="amount"):
        RecordPayment.model_validate({**good.model_dump(), "amount": amount})
    line = {"product_code": "P-1", "quantity": 1, "unit_price": amount}
    with pytest.raises(ValidationError, match="unit_price"):
        SubmitOrder.model_validate({"client_reference": "WEB-1", "channel": "web", "lines": [line]})


def test_numbers_follow_their_patterns() -> None:
    with pytest.raises(ValidationError):
        order_received(order_no="2026-11-001")
    with pytest.raises(ValidationError):
        order_received(currency="yuan")


def test_messages_are_immutable() -> None:
    order = order_received()
    with pytest.raises(ValidationError):
        order.rush = True  # type: ignore[misc]


def test_submit_order_may_be_incomplete_so_sales_can_ask_for_the_rest() -> None:
    command = SubmitOrder(client_reference="WEB-1", channel="web")
    assert command.lines == [] and command.delivery_address is None


def test_commands_about_an_order_need_a_reference() -> None:
    with pytest.raises(ValidationError, match="order_id or order_no"):
        CancelOrder(reason="changed mind")
    assert CancelOrder(order_no="202611-001", reason="changed mind").order_no == "202611-001"


def test_completing_a_work_order_needs_a_lot() -> None:
    fields: dict[str, Any] = {
        "work_order_id": ORDER_ID,
        "quantity_done": 4,
        "reported_by": "line 2",
        "reported_at": AT,
        "complete": True,
    }
    with pytest.raises(ValidationError, match="lot_no"):
        ReportProgress.model_validate(fields)
    assert ReportProgress.model_validate({**fields, "lot_no": "L-77"}).complete


def test_datetimes_in_payloads_must_be_aware() -> None:
    with pytest.raises(ValidationError):
        ReportProgress(
            work_order_id=ORDER_ID,
            quantity_done=1,
            reported_by="line 2",
            reported_at=datetime(2026, 11, 27, 9, 30),
        )


def test_every_model_and_field_is_documented() -> None:
    undocumented = []
    for name, schema in current_schemas().items():
        objects = {name: schema, **{f"{name}#{d}": s for d, s in schema.get("$defs", {}).items()}}
        for where, obj in objects.items():
            if not obj.get("description"):
                undocumented.append(where)
            for prop, prop_schema in obj.get("properties", {}).items():
                if not prop_schema.get("description"):
                    undocumented.append(f"{where}.{prop}")
    assert undocumented == []


def test_every_message_class_has_its_own_docstring() -> None:
    assert [s.type for s in REGISTRY.all() if not s.model.__dict__.get("__doc__")] == []


def test_importing_contracts_pulls_in_no_platform_library() -> None:
    code = (
        "import json, sys\n"
        "from contracts.registry import REGISTRY\n"
        "print(json.dumps([len(REGISTRY), sorted({m.split('.')[0] for m in sys.modules})]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, modules = json.loads(out.stdout)
    assert count == len(REGISTRY)  # the registry is full whichever module is imported first
    forbidden = {"faststream", "sqlalchemy", "structlog", "aio_pika", "aiormq", "shared"}
    assert forbidden & set(modules) == set()


def _types_of(annotation: Any) -> set[Any]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return {annotation}
    return {t for arg in args for t in _types_of(arg)} | {annotation}
