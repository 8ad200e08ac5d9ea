"""What every use case gets: the unit of work's repositories, the time, the actor, the rules'
settings, and where events go. Built per unit of work by the factory ``bootstrap`` makes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from services.sales.adapters.master_data import (
    CustomerChangeRepository,
    CustomerRepository,
    ExchangeRateRepository,
    PriceListRepository,
)
from services.sales.adapters.repositories import (
    AfterSalesRepository,
    InvoiceRepository,
    NumberRepository,
    OrderRepository,
    PaymentRepository,
    ReviewAnswerRepository,
)
from services.sales.domain.approval import Person
from services.sales.domain.invoice import Invoice
from services.sales.domain.order import Order
from services.sales.domain.policy import SalesPolicy
from services.sales.domain.rates import ExchangeRates
from shared.auth import Actor
from shared.uow import UnitOfWork


class Work:
    """Repositories over one unit of work; events go out under the order they belong to."""

    def __init__(self, uow: UnitOfWork, policy: SalesPolicy, default_currency: str) -> None:
        self.uow = uow
        self.policy = policy
        self.default_currency = default_currency
        session = uow.session
        self.now: datetime = uow.now
        self.orders = OrderRepository(session)
        self.customers = CustomerRepository(session)
        self.customer_changes = CustomerChangeRepository(session)
        self.prices = PriceListRepository(session)
        self.rates = ExchangeRateRepository(session)
        self.numbers = NumberRepository(session)
        self.invoices = InvoiceRepository(session)
        self.payments = PaymentRepository(session)
        self.aftersales = AfterSalesRepository(session)
        self.review_answers = ReviewAnswerRepository(session)
        self._rates: ExchangeRates | None = None

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    @property
    def person(self) -> Person:
        """The actor as the domain's decisions take it: a name and roles."""
        return Person(self.actor.name, self.actor.roles)

    async def exchange_rates(self) -> ExchangeRates:
        """The rate table, read once per unit of work (intake reads it for prices and totals)."""
        if self._rates is None:
            self._rates = await self.rates.table(self.policy.base_currency)
        return self._rates

    async def save(self, order: Order) -> None:
        """Store the order, emit what it recorded and set or stop its deadlines."""
        await self.orders.save(order, self.now)
        await self.uow.collect(order, correlation_id=str(order.order_id))

    async def save_invoice(self, invoice: Invoice, order_id: UUID) -> None:
        await self.invoices.save(invoice)
        await self.uow.collect(invoice, correlation_id=str(order_id))
