"""SQL of the master data: customers and their trust changes, the price list, exchange rates.
Repositories never commit: the unit of work does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.common import PaymentTerms
from contracts.enums import CustomerClass
from contracts.status.sales import CustomerChangeStatus
from services.sales.adapters.tables import (
    customer,
    customer_change,
    customer_order,
    exchange_rate,
    price_list_entry,
)
from services.sales.domain.customer import Customer, CustomerChange, PriceEntry, Trust
from services.sales.domain.order import NUMBERED_OPEN
from services.sales.domain.rates import ExchangeRates


def _json(model: Any) -> Any:
    return None if model is None else model.model_dump(mode="json")


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _values(c: Customer) -> dict[str, Any]:
        return {
            "name": c.name,
            "customer_class": c.customer_class.value,
            "credit_limit": c.credit_limit,
            "payment_terms": _json(c.payment_terms),
            "currency": c.currency,
        }

    async def add(self, c: Customer, now: datetime) -> bool:
        """Insert; False when the customer exists already (a concurrent twin)."""
        stmt = (
            pg_insert(customer)
            .values(customer_id=c.customer_id, created_at=now, **self._values(c))
            .on_conflict_do_nothing(index_elements=[customer.c.customer_id])
            .returning(customer.c.customer_id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def save(self, c: Customer) -> None:
        await self.session.execute(
            update(customer)
            .where(customer.c.customer_id == c.customer_id)
            .values(**self._values(c))
        )

    async def get(self, customer_id: str | None, *, lock: bool = False) -> Customer | None:
        if not customer_id:
            return None
        stmt = select(customer).where(customer.c.customer_id == customer_id)
        if lock:
            stmt = stmt.with_for_update()
        row = (await self.session.execute(stmt)).first()
        return None if row is None else self._to_customer(row)

    async def all(self) -> list[Customer]:
        rows = await self.session.execute(select(customer).order_by(customer.c.customer_id))
        return [self._to_customer(r) for r in rows]

    @staticmethod
    def _to_customer(row: Any) -> Customer:
        return Customer(
            customer_id=row.customer_id,
            name=row.name,
            customer_class=CustomerClass(row.customer_class),
            credit_limit=row.credit_limit,
            payment_terms=PaymentTerms.model_validate(row.payment_terms),
            currency=row.currency,
        )

    async def exposure(self, customer_id: str, exclude: UUID) -> dict[str, Decimal]:
        """What the customer owes or will owe on other open orders (the credit in use), per
        currency of those orders."""
        owed = func.sum(customer_order.c.total_amount - customer_order.c.paid_total)
        stmt = (
            select(customer_order.c.currency, owed)
            .where(
                customer_order.c.customer_id == customer_id,
                customer_order.c.order_id != exclude,
                customer_order.c.status.in_([s.value for s in NUMBERED_OPEN]),
            )
            .group_by(customer_order.c.currency)
        )
        return {row[0]: Decimal(row[1]) for row in await self.session.execute(stmt)}


def _trust_json(t: Trust) -> dict[str, Any]:
    return {
        "customer_class": t.customer_class.value,
        "credit_limit": str(t.credit_limit.quantize(Decimal("0.01"))),  # as the column keeps it
        "deposit_percent": None if t.deposit_percent is None else str(t.deposit_percent),
        "currency": t.currency,
    }


def _trust(raw: dict[str, Any]) -> Trust:
    deposit = raw.get("deposit_percent")
    return Trust(
        CustomerClass(raw["customer_class"]),
        Decimal(raw["credit_limit"]),
        None if deposit is None else Decimal(deposit),
        raw["currency"],
    )


class CustomerChangeRepository:
    """Changes of a customer's trust, waiting for (or decided by) a second person."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, c: CustomerChange) -> None:
        await self.session.execute(insert(customer_change).values(**self._row(c)))

    async def save(self, c: CustomerChange) -> None:
        await self.session.execute(
            update(customer_change)
            .where(customer_change.c.change_id == c.change_id)
            .values(status=c.status.value, decided_by=c.decided_by, decided_at=c.decided_at)
            .values(reason=c.reason)
        )

    @staticmethod
    def _row(c: CustomerChange) -> dict[str, Any]:
        return {
            "change_id": c.change_id,
            "customer_id": c.customer_id,
            "status": c.status.value,
            "before": _trust_json(c.before),
            "after": _trust_json(c.after),
            "requested_by": c.requested_by,
            "requested_at": c.requested_at,
            "decided_by": c.decided_by,
            "decided_at": c.decided_at,
            "reason": c.reason,
        }

    async def get(self, change_id: UUID, *, lock: bool = False) -> CustomerChange | None:
        stmt = select(customer_change).where(customer_change.c.change_id == change_id)
        if lock:
            stmt = stmt.with_for_update()
        row = (await self.session.execute(stmt)).first()
        return None if row is None else self._to_change(row)

    async def pending_for(self, customer_ids: Sequence[str]) -> dict[str, CustomerChange]:
        rows = await self.session.execute(
            select(customer_change).where(
                customer_change.c.customer_id.in_(list(customer_ids)),
                customer_change.c.status == CustomerChangeStatus.PENDING.value,
            )
        )
        return {r.customer_id: self._to_change(r) for r in rows}

    async def list(
        self, customer_id: str | None, status: str | None, limit: int
    ) -> list[CustomerChange]:
        stmt = select(customer_change).order_by(customer_change.c.requested_at.desc())
        if customer_id:
            stmt = stmt.where(customer_change.c.customer_id == customer_id)
        if status:
            stmt = stmt.where(customer_change.c.status == status)
        rows = await self.session.execute(stmt.limit(limit))
        return [self._to_change(r) for r in rows]

    @staticmethod
    def _to_change(row: Any) -> CustomerChange:
        return CustomerChange(
            change_id=row.change_id,
            customer_id=row.customer_id,
            before=_trust(row.before),
            after=_trust(row.after),
            requested_by=row.requested_by,
            requested_at=row.requested_at,
            status=CustomerChangeStatus(row.status),
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            reason=row.reason,
        )


class ExchangeRateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, currency: str, rate: Decimal, by: str, now: datetime) -> None:
        values = {"rate": rate, "updated_by": by, "updated_at": now}
        await self.session.execute(
            pg_insert(exchange_rate)
            .values(currency=currency, **values)
            .on_conflict_do_update(index_elements=[exchange_rate.c.currency], set_=values)
        )

    async def rows(self) -> list[dict[str, Any]]:
        rows = await self.session.execute(select(exchange_rate).order_by(exchange_rate.c.currency))
        return [dict(r._mapping) for r in rows]

    async def table(self, base: str) -> ExchangeRates:
        rows = await self.session.execute(select(exchange_rate.c.currency, exchange_rate.c.rate))
        return ExchangeRates(base, {r.currency: r.rate for r in rows})


class PriceListRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, e: PriceEntry, now: datetime) -> None:
        values = {
            "product_code": e.product_code,
            "unit_price": e.unit_price,
            "currency": e.currency,
            "description": e.description,
            "updated_at": now,
        }
        stmt = pg_insert(price_list_entry).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[price_list_entry.c.product_code], set_=values
            )
        )

    async def entries(self, codes: list[str] | None = None) -> list[PriceEntry]:
        stmt = select(price_list_entry).order_by(price_list_entry.c.product_code)
        if codes is not None:
            stmt = stmt.where(price_list_entry.c.product_code.in_(codes))
        rows = await self.session.execute(stmt)
        return [PriceEntry(r.product_code, r.unit_price, r.currency, r.description) for r in rows]

    async def for_codes(self, codes: list[str]) -> dict[str, PriceEntry]:
        return {e.product_code: e for e in await self.entries(codes)}
