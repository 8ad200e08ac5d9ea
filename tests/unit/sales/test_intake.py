"""Completeness of a submitted order, and vague specifications."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.common import Contact
from services.sales.domain.intake import DraftLine, is_vague_spec
from tests.unit.sales.conftest import PRICES, customer, new_order

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "spec",
    [
        "similar to last time",
        "Same as before",
        "as usual",
        "like the previous one",
        "同上次",
        "跟上次一样",
        "?",
        "TBD",
        "x",
    ],
)
def test_vague_specs_are_not_specs(spec):
    assert is_vague_spec(spec)


@pytest.mark.parametrize(
    "spec", ["steel 40 mm, zinc plated", "RAL 9005 matt, 2 m", "304不锈钢 2mm"]
)
def test_concrete_specs_pass(spec):
    assert not is_vague_spec(spec)


def test_complete_order_takes_list_prices_and_the_customers_terms():
    order = new_order()
    assert order.check_completeness(customer(), PRICES, TODAY)
    assert [ln.unit_price for ln in order.lines] == [Decimal(100), Decimal(250)]
    assert order.payment_terms == customer().payment_terms
    assert order.total == Decimal("1500.00")


def test_each_missing_part_is_named():
    order = new_order(
        contact=None,
        requested_date=None,
        delivery_address=None,
        lines=[DraftLine(None, "steel", 1), DraftLine("P-100", "as before", None)],
    )
    assert not order.check_completeness(customer(), PRICES, TODAY)
    assert order.missing_fields == [
        "contact",
        "lines[1].product_code",
        "lines[2].spec",
        "lines[2].quantity",
        "requested_date",
        "delivery_address",
    ]


def test_unknown_customer_needs_payment_terms_too():
    order = new_order(customer_id="NOPE")
    assert not order.check_completeness(None, PRICES, TODAY)
    assert order.missing_fields == ["customer_id", "payment_terms"]


def test_contact_needs_a_way_to_reach_them():
    order = new_order(contact=Contact(name="Li"))
    assert not order.check_completeness(customer(), PRICES, TODAY)
    assert order.missing_fields == ["contact.phone"]


def test_unlisted_product_without_a_price_is_incomplete_and_past_dates_are_not_accepted():
    order = new_order(lines=[DraftLine("X-1", "custom", 1)], requested_date=date(2026, 12, 1))
    assert not order.check_completeness(customer(), PRICES, TODAY)
    assert order.missing_fields == ["lines[1].unit_price", "requested_date"]


def test_no_lines_is_incomplete():
    order = new_order(lines=[])
    assert not order.check_completeness(customer(), PRICES, TODAY)
    assert order.missing_fields == ["lines"]
