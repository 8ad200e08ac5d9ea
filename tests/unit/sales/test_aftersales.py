"""Returned goods: their order line and their value."""

from __future__ import annotations

from decimal import Decimal

from contracts.events.customer_service import SettlementLine
from services.sales.domain.aftersales import line_of, returned_value
from services.sales.domain.policy import SalesPolicy
from tests.unit.sales.conftest import customer, received


def test_line_is_taken_as_given_else_by_product(policy: SalesPolicy) -> None:
    order = received(customer(), policy)
    assert line_of(order, 2, "P-100") == 2, "a given line wins over the product"
    assert line_of(order, None, "P-200") == 2
    assert line_of(order, None, "P-999") is None
    assert line_of(order, 3, "P-100") is None, "a line the order does not have"


def test_value_counts_every_accepted_piece_restocked_or_not(policy: SalesPolicy) -> None:
    order = received(customer(), policy)
    lines = [
        SettlementLine(line_no=1, product_code="P-100", quantity=3, restocked=True),
        SettlementLine(product_code="P-200", quantity=1, restocked=False),
        SettlementLine(product_code="P-999", quantity=5, restocked=False),
    ]
    assert returned_value(order, lines) == Decimal("550")
    assert returned_value(order, []) == 0
