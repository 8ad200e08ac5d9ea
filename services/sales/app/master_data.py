"""Master data: customers (their trust changed only by two people), list prices, exchange rates.

Only master data changes these (the routes say so); a change of a customer's class, credit
limit, deposit rule or currency waits for a second master-data person.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

from services.sales.app.unit import Work
from services.sales.domain.customer import Customer, CustomerChange, PriceEntry, put_customer
from services.sales.domain.errors import IllegalTransition
from services.sales.domain.rates import check_rate
from shared.errors import Conflict, NotFound


async def save_customer(work: Work, asked: Customer) -> tuple[Customer, bool]:
    """Create or change a customer. Its name and payment terms (but the deposit rule) change at
    once; a different trust becomes a pending change (a new customer stands guarded until it is
    approved). Asking again for what is already pending changes nothing. Returns the customer
    as it stands and whether it is new."""
    existing = await work.customers.get(asked.customer_id, lock=True)
    current, wanted = put_customer(existing, asked)
    if existing is None:
        if not await work.customers.add(current, work.now):
            raise Conflict("customer created meanwhile: send the change again", state="exists")
    else:
        await work.customers.save(current)
    pending = (await work.customer_changes.pending_for([asked.customer_id])).get(asked.customer_id)
    if wanted is None or (pending is not None and pending.after.same_as(wanted)):
        return current, existing is None
    if pending is not None:
        raise IllegalTransition(
            "change the customer's class, credit limit, deposit rule or currency",
            "change_pending",
            f"change {pending.change_id} by {pending.requested_by} waits for approval",
        )
    change = CustomerChange(
        uuid4(), asked.customer_id, current.trust, wanted, work.actor.name, work.now
    )
    await work.customer_changes.add(change)
    return current, existing is None


async def _change(work: Work, change_id: UUID) -> CustomerChange:
    change = await work.customer_changes.get(change_id, lock=True)
    if change is None:
        raise NotFound("customer change", change_id)
    return change


async def approve_change(work: Work, change_id: UUID) -> Customer:
    """A second master-data person approves: the trust asked for takes effect now."""
    change = await _change(work, change_id)
    customer = await work.customers.get(change.customer_id, lock=True)
    assert customer is not None  # the change's foreign key
    if change.approve(work.actor.name, work.now):
        customer = change.applied_to(customer)
        await work.customers.save(customer)
        await work.customer_changes.save(change)
    return customer


async def reject_change(work: Work, change_id: UUID, reason: str) -> CustomerChange:
    change = await _change(work, change_id)
    change.reject(work.actor.name, work.now, reason)
    await work.customer_changes.save(change)
    return change


async def put_price(work: Work, entry: PriceEntry) -> PriceEntry:
    """A list price in a currency without an exchange rate could never be compared."""
    (await work.exchange_rates()).rate(entry.currency)
    await work.prices.upsert(entry, work.now)
    return entry


async def put_rate(work: Work, currency: str, rate: Decimal) -> dict[str, object]:
    check_rate(currency, rate, work.policy.base_currency)
    await work.rates.put(currency, rate, work.actor.name, work.now)
    return {
        "currency": currency,
        "rate": rate,
        "base_currency": work.policy.base_currency,
        "updated_by": work.actor.name,
        "updated_at": work.now,
    }
