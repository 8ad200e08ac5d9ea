"""What every use case shares: loading an order, numbers, prices and money in the base currency."""

from __future__ import annotations

import re
from decimal import Decimal
from uuid import UUID

from services.sales.app.unit import Work
from services.sales.domain.approval import Valuation
from services.sales.domain.customer import Customer, PriceEntry
from services.sales.domain.order import Order
from shared.errors import NotFound

_ORDER_NO = re.compile(r"^\d{6}-\d{3,}$")


async def load_order(work: Work, ref: UUID | str, *, lock: bool = True) -> Order:
    """By id or by number; locked for the rest of the transaction (one writer per order)."""
    order: Order | None = None
    if isinstance(ref, UUID):
        order = await work.orders.get(ref, lock=lock)
    elif _ORDER_NO.match(ref):
        order = await work.orders.get_by_no(ref, lock=lock)
    else:
        try:
            order = await work.orders.get(UUID(ref), lock=lock)
        except ValueError:
            order = None
    if order is None:
        raise NotFound("order", ref)
    return order


async def acting_on(work: Work, ref: UUID | str) -> Order:
    """The order a request acts on, locked; what the request emits belongs to it."""
    order = await load_order(work, ref)
    work.uow.correlation_id = str(order.order_id)
    return order


async def next_number(work: Work, prefix: str) -> str:
    """``YYYYMM-NNN`` per local month: at least three digits, more once past 999."""
    month = work.policy.calendar.local_date(work.now).strftime("%Y%m")
    n = await work.numbers.next(f"{prefix}{month}")
    return f"{prefix}{month}-{n:03d}"


async def customer_of(work: Work, order: Order) -> Customer:
    customer = await work.customers.get(order.customer_id)
    if customer is None:
        raise NotFound("customer", order.customer_id)
    return customer


async def list_prices(work: Work, codes: list[str], currency: str) -> dict[str, PriceEntry]:
    """The list prices of ``codes``, converted to the order's currency (a list price in CNY is
    not a price in USD); refused when a currency has no exchange rate."""
    rates = await work.exchange_rates()
    rates.rate(currency)  # the order's own currency must have a rate, priced lines or not
    return {
        code: PriceEntry(
            code, rates.convert(e.unit_price, e.currency, currency), currency, e.description
        )
        for code, e in (await work.prices.for_codes(codes)).items()
    }


async def valuation(work: Work, order: Order, customer: Customer) -> Valuation:
    """The order's rate to the base currency, the customer's credit in use on its other open
    orders and its credit limit, all in the base currency."""
    rates = await work.exchange_rates()
    in_use = await work.customers.exposure(customer.customer_id, order.order_id)
    return Valuation(
        base_currency=rates.base,
        rate=rates.rate(order.currency),
        credit_in_use=sum(
            (rates.to_base(amount, currency) for currency, amount in in_use.items()),
            start=Decimal(0),
        ),
        credit_limit=rates.to_base(customer.credit_limit, customer.currency),
    )
