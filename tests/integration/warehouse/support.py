"""Messages and HTTP steps the warehouse tests share."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from contracts.base import Message
from contracts.common import Address, Dimensions, LineQuantity, OrderLine, Package
from contracts.enums import CustomerClass
from contracts.events.sales import OrderConfirmed
from contracts.events.warehouse import StockReserved
from tests.harness import send
from tests.integration.warehouse.conftest import Warehouse

ADDRESS = Address(recipient="Li Lei", line1="88 Xinghu St", city="Suzhou", postal_code="215000")
_numbers = iter(range(100, 100_000))


def order_no() -> str:
    return f"202703-{next(_numbers)}"


def confirmed(*lines: tuple[str, int], order_id: uuid.UUID | None = None) -> OrderConfirmed:
    return OrderConfirmed(
        order_id=order_id or uuid.uuid4(),
        order_no=order_no(),
        customer_id="C-1",
        customer_class=CustomerClass.A,
        promised_date=date(2027, 3, 20),
        lines=[
            OrderLine(
                line_no=i, product_code=c, spec="std", quantity=q, unit_price=Decimal("10.00")
            )
            for i, (c, q) in enumerate(lines, start=1)
        ],
        delivery_address=ADDRESS,
    )


def package(no: str, *contents: tuple[int, str, int], weight: str = "3.2") -> Package:
    return Package(
        package_no=no,
        label=f"SSCC-{no}",
        weight_kg=Decimal(weight),
        dimensions=Dimensions(length_cm=Decimal(60), width_cm=Decimal(40), height_cm=Decimal(30)),
        contents=[LineQuantity(line_no=n, product_code=c, quantity=q) for n, c, q in contents],
    )


async def publish(w: Warehouse, message: Message, correlation_id: str, **kw: Any) -> None:
    await send(w.channel, w.namespace, message, correlation_id=correlation_id, **kw)


async def stock_item(
    w: Warehouse, code: str, *receipts: tuple[str, int], reorder_point: int = 0
) -> None:
    """Item, locations and received stock, all through the HTTP API."""
    r = await w.http.post("/items", json={"product_code": code, "reorder_point": reorder_point})
    assert r.status_code == 201, r.text
    for location, quantity in receipts:
        r = await w.http.post("/locations", json={"code": location})
        assert r.status_code == 201, r.text
        r = await w.http.post(
            "/stock/receipts",
            json={"product_code": code, "location": location, "quantity": quantity},
        )
        assert r.status_code == 201, r.text


async def confirmed_and_reserved(
    w: Warehouse, code: str, on_hand: int, quantity: int
) -> OrderConfirmed:
    """``on_hand`` of ``code`` in stock at A1, and an order for ``quantity`` of it confirmed and
    reserved (its ``stock.reserved`` seen)."""
    await stock_item(w, code, ("A1", on_hand))
    event = confirmed((code, quantity))
    await publish(w, event, str(event.order_id))
    await w.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    return event


async def stock_of(w: Warehouse, code: str) -> dict[str, Any]:
    r = await w.http.get(f"/stock/{code}")
    assert r.status_code == 200, r.text
    return dict(r.json())


async def order_view(w: Warehouse, order_id: uuid.UUID) -> dict[str, Any] | None:
    r = await w.http.get(f"/orders/{order_id}/reservations")
    return dict(r.json()) if r.status_code == 200 else None


async def assert_ledger_matches_levels(w: Warehouse, code: str) -> None:
    """On-hand and reserved per location equal the sums of the item's movements."""
    async with w.runtime.engine.connect() as conn:
        levels = {
            r.location: (r.on_hand, r.reserved)
            for r in await conn.execute(
                text("SELECT location, on_hand, reserved FROM stock WHERE product_code = :c"),
                {"c": code},
            )
        }
        ledger = {
            r[0]: (int(r[1]), int(r[2]))
            for r in await conn.execute(
                text(
                    "SELECT location, sum(on_hand_delta), sum(reserved_delta) FROM stock_movement"
                    " WHERE product_code = :c GROUP BY location"
                ),
                {"c": code},
            )
        }
    assert levels == ledger
    assert all(on_hand >= reserved >= 0 for on_hand, reserved in levels.values())


def days(n: int) -> timedelta:
    return timedelta(days=n)


def consumed(w: Warehouse, handler: str) -> float:
    """Messages a handler took off its queue (handled or skipped as duplicates)."""
    labels = {"handler": f"{w.settings.service_name}.{handler}"}
    registry = w.runtime.metrics.registry
    return sum(
        registry.get_sample_value(name, labels) or 0.0
        for name in ("orderflow_messages_handled_total", "orderflow_messages_duplicate_total")
    )
