"""Builders for domain unit tests: no IO."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from contracts.common import Address, Contact, PaymentTerms
from contracts.enums import Channel, CustomerClass, ReviewDepartment, ReviewVerdict
from services.sales.domain.approval import APPROVER_ROLES, Person, Valuation
from services.sales.domain.customer import Customer, PriceEntry
from services.sales.domain.intake import DraftLine
from services.sales.domain.order import Order, Review
from services.sales.domain.policy import SalesPolicy
from shared.calendar import BusinessCalendar

# Wednesday 2 December 2026, 10:00 Shanghai
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
PRICES = {
    "P-100": PriceEntry("P-100", Decimal("100")),
    "P-200": PriceEntry("P-200", Decimal("250")),
}


# Credit in use and limit of a customer with the default credit and nothing else open.
FREE = Valuation.in_base(Decimal(0), Decimal("1000000"))
# Someone holding every approver role: covers whatever the matrix asks.
BOSS = Person("Sun", APPROVER_ROLES)


@pytest.fixture(scope="session")
def policy() -> SalesPolicy:
    return SalesPolicy(calendar=BusinessCalendar("CN"), approval_threshold=Decimal("10000"))


def customer(klass: str = "B", deposit: str | None = None, credit: str = "1000000") -> Customer:
    return Customer(
        customer_id="C1",
        name="Acme",
        customer_class=CustomerClass(klass),
        credit_limit=Decimal(credit),
        payment_terms=PaymentTerms(
            code="NET30",
            net_days=30,
            deposit_percent=Decimal(deposit) if deposit else None,
            late_fee_percent=Decimal("2"),
        ),
    )


def new_order(**over: object) -> Order:
    fields: dict[str, object] = {
        "order_id": uuid.uuid4(),
        "source": "http",
        "client_reference": "r1",
        "channel": Channel.EMAIL,
        "created_at": NOW,
        "customer_id": "C1",
        "contact": Contact(name="Li", phone="123"),
        "lines": [DraftLine("P-100", "steel 40 mm", 10), DraftLine("P-200", "frame 2 m", 2)],
        "requested_date": date(2026, 12, 20),
        "delivery_address": Address(recipient="Goods in", line1="1 Road", city="Ningbo"),
    }
    fields.update(over)
    return Order(**fields)


def received(
    c: Customer,
    policy: SalesPolicy,
    exposure: str = "0",
    today: date = date(2026, 12, 2),
    **over: object,
) -> Order:
    order = new_order(**over)
    assert order.check_completeness(c, PRICES, today)
    order.accept("202612-001", c, Valuation.in_base(Decimal(exposure), c.credit_limit), NOW, policy)
    return order


def approve_reviews(order: Order, policy: SalesPolicy, at: datetime = NOW, **dates: date) -> None:
    for dept in (ReviewDepartment.WAREHOUSE, ReviewDepartment.PRODUCTION):
        order.record_review(
            Review(dept, ReviewVerdict.APPROVE, at, dates.get(dept.value)), at, policy
        )
