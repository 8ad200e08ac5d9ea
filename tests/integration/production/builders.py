"""Messages other services send production, and master data seeded over HTTP."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx

from contracts.common import Address, OrderLine
from contracts.enums import CustomerClass, ReviewDepartment, ReviewVerdict
from contracts.events.sales import (
    LineAvailability,
    OrderConfirmed,
    OrderReviewed,
    OrderReviewRequested,
)
from contracts.events.warehouse import ReservedLine, ShortfallChange, StockReserved

_numbers = itertools.count(1)


def order_no() -> str:
    """A fresh order number: the order's work order numbers derive from it."""
    return f"202612-{next(_numbers):03d}{uuid.uuid4().int % 10**6:06d}"


def line(line_no: int, product_code: str, quantity: int) -> OrderLine:
    return OrderLine(
        line_no=line_no,
        product_code=product_code,
        spec="standard",
        quantity=quantity,
        unit_price=Decimal("10.00"),
    )


def review_requested(
    order_id: uuid.UUID,
    number: str,
    lines: list[OrderLine],
    requested: date,
    now: datetime,
    *,
    rush: bool = False,
    with_warehouse: bool = True,
    review_round: int | None = None,
) -> OrderReviewRequested:
    departments = [ReviewDepartment.PRODUCTION]
    if with_warehouse:
        departments.append(ReviewDepartment.WAREHOUSE)
    return OrderReviewRequested(
        order_id=order_id,
        order_no=number,
        departments=departments,
        customer_id="C-1",
        customer_class=CustomerClass.A,
        lines=lines,
        requested_date=requested,
        rush=rush,
        total_amount=Decimal("100.00"),
        currency="CNY",
        review_due_at=now + timedelta(hours=24),
        review_round=review_round,
    )


def warehouse_reviewed(
    order_id: uuid.UUID,
    number: str,
    available: dict[int, tuple[str, int, int]],
    review_round: int | None = None,
) -> OrderReviewed:
    """available: line_no -> (product_code, requested, on hand)."""
    return OrderReviewed(
        order_id=order_id,
        order_no=number,
        department=ReviewDepartment.WAREHOUSE,
        verdict=ReviewVerdict.APPROVE,
        lines=[
            LineAvailability(line_no=n, product_code=p, quantity_requested=q, quantity_available=a)
            for n, (p, q, a) in available.items()
        ],
        review_round=review_round,
    )


def confirmed(
    order_id: uuid.UUID,
    number: str,
    lines: list[OrderLine],
    promised: date,
    *,
    rush: bool = False,
) -> OrderConfirmed:
    return OrderConfirmed(
        order_id=order_id,
        order_no=number,
        customer_id="C-1",
        customer_class=CustomerClass.A,
        promised_date=promised,
        lines=lines,
        delivery_address=Address(recipient="Goods in", line1="1 Road", city="Suzhou"),
        rush=rush,
    )


def reserved(order_id: uuid.UUID, number: str, lines: list[OrderLine], on_hand: dict[int, int]):
    """The warehouse reserved ``on_hand[line_no]`` (default 0) of each line."""
    rows = []
    for ol in lines:
        got = min(on_hand.get(ol.line_no, 0), ol.quantity)
        rows.append(
            ReservedLine(
                line_no=ol.line_no,
                product_code=ol.product_code,
                quantity_ordered=ol.quantity,
                quantity_reserved=got,
                shortfall=ol.quantity - got,
            )
        )
    return StockReserved(
        order_id=order_id,
        order_no=number,
        lines=rows,
        fully_reserved=all(r.shortfall == 0 for r in rows),
    )


def report(
    order_id: uuid.UUID,
    number: str,
    lines: list[OrderLine],
    on_hand: dict[int, int],
    changes: dict[int, int],
) -> StockReserved:
    """The warehouse's report with what production is to make more (or less) per line."""
    codes = {ol.line_no: ol.product_code for ol in lines}
    return reserved(order_id, number, lines, on_hand).model_copy(
        update={
            "shortfall_changes": [
                ShortfallChange(line_no=no, product_code=codes[no], change=change)
                for no, change in changes.items()
            ]
        }
    )


async def seed_line(
    client: httpx.AsyncClient, code: str, capacities: dict[str, int]
) -> dict[str, object]:
    response = await client.post(
        "/lines",
        json={
            "code": code,
            "name": f"Line {code}",
            "capacities": [{"family": f, "pieces_per_day": p} for f, p in capacities.items()],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def seed_product(
    client: httpx.AsyncClient, code: str, family: str, bom: list[dict[str, object]] | None = None
) -> None:
    response = await client.put(f"/products/{code}", json={"family": family, "bom": bom or []})
    assert response.status_code == 200, response.text


async def confirm_with_shortfall(
    channel,
    namespace: str,
    lines: list[OrderLine],
    promised: date,
    *,
    on_hand: dict[int, int] | None = None,
    rush: bool = False,
    reserved_first: bool = False,
) -> tuple[uuid.UUID, str]:
    """Send order.confirmed and the warehouse's stock.reserved (in either order)."""
    from tests.harness import send

    order_id, number = uuid.uuid4(), order_no()
    messages = [
        confirmed(order_id, number, lines, promised, rush=rush),
        reserved(order_id, number, lines, on_hand or {}),
    ]
    if reserved_first:
        messages.reverse()
    for message in messages:
        await send(channel, namespace, message, correlation_id=str(order_id))
    return order_id, number
