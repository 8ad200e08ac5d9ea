"""After-sales rules: which order line returned goods belong to and what they are worth."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from services.sales.domain.order import Order


class Returned(Protocol):
    @property
    def line_no(self) -> int | None: ...
    @property
    def product_code(self) -> str: ...
    @property
    def quantity(self) -> int: ...


def line_of(order: Order, line_no: int | None, product_code: str) -> int | None:
    """The original order line of returned goods: as given (if it exists), else the first line
    of the same product."""
    if line_no is not None:
        return line_no if 1 <= line_no <= len(order.lines) else None
    for n, line in enumerate(order.lines, start=1):
        if line.product_code == product_code:
            return n
    return None


def returned_value(order: Order, items: Iterable[Returned]) -> Decimal:
    """What the accepted goods cost the customer: quantity times the line's agreed price."""
    value = Decimal(0)
    for item in items:
        n = line_of(order, item.line_no, item.product_code)
        if n is not None:
            value += item.quantity * (order.lines[n - 1].unit_price or Decimal(0))
    return value
