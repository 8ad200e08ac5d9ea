"""What people look up: orders, their review answers, invoices and credit notes; customers with
any change waiting for approval; prices and exchange rates.

Reads go through here like every other use case, so the HTTP layer never touches a repository.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.sales.app.common import load_order
from services.sales.app.unit import Work
from services.sales.domain.customer import Customer, CustomerChange, PriceEntry
from services.sales.domain.invoice import Invoice
from services.sales.domain.order import Order
from shared.errors import NotFound


async def order(work: Work, ref: UUID | str) -> Order:
    return await load_order(work, ref, lock=False)


async def orders(
    work: Work,
    status: str | None,
    customer_id: str | None,
    created_from: date | None,
    created_to: date | None,
    limit: int,
    offset: int,
) -> list[Order]:
    return await work.orders.list(status, customer_id, created_from, created_to, limit, offset)


async def review_answers(work: Work, ref: UUID | str) -> list[dict[str, Any]]:
    found = await load_order(work, ref, lock=False)
    return await work.review_answers.for_order(found.order_id)


async def invoices(work: Work, ref: UUID | str) -> list[Invoice]:
    found = await load_order(work, ref, lock=False)
    return await work.invoices.for_order(found.order_id)


async def credit_notes(work: Work, ref: UUID | str) -> list[dict[str, Any]]:
    found = await load_order(work, ref, lock=False)
    return await work.aftersales.credits_for_order(found.order_id)


async def customers(work: Work) -> list[tuple[Customer, CustomerChange | None]]:
    every = await work.customers.all()
    pending = await work.customer_changes.pending_for([c.customer_id for c in every])
    return [(c, pending.get(c.customer_id)) for c in every]


async def customer(work: Work, customer_id: str) -> tuple[Customer, CustomerChange | None]:
    found = await work.customers.get(customer_id)
    if found is None:
        raise NotFound("customer", customer_id)
    pending = await work.customer_changes.pending_for([customer_id])
    return found, pending.get(customer_id)


async def customer_changes(
    work: Work, customer_id: str | None, status: str | None, limit: int
) -> list[CustomerChange]:
    return await work.customer_changes.list(customer_id, status, limit)


async def price_list(work: Work) -> list[PriceEntry]:
    return await work.prices.entries()


async def exchange_rates(work: Work) -> list[dict[str, Any]]:
    return [{**row, "base_currency": work.policy.base_currency} for row in await work.rates.rows()]
