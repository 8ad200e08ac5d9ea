"""Customer master and price list entries, as master data keeps them.

A customer's class, credit limit, deposit rule and currency (the currency its credit limit is
counted in) decide how far the company trusts it: class A is released before signature, B and C
wait for the signature and the deposit (003 客户订单下单流程), the credit limit decides when an
order needs approval. A change of any of them takes effect only when a second master-data person
approves it (the brief's "Identity and authority"); the rest of the record changes at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from contracts.common import PaymentTerms
from contracts.enums import CustomerClass
from contracts.status.sales import CustomerChangeStatus
from services.sales.domain.errors import FourEyes, IllegalTransition


@dataclass(frozen=True)
class Customer:
    """A customer record: class A/B/C, credit limit, standard payment terms and deposit rule.

    The deposit rule is the standard terms' ``deposit_percent`` (None or 0 = no deposit).
    """

    customer_id: str
    name: str
    customer_class: CustomerClass
    credit_limit: Decimal
    payment_terms: PaymentTerms
    currency: str = "CNY"

    @property
    def trust(self) -> Trust:
        return Trust(
            self.customer_class,
            self.credit_limit,
            self.payment_terms.deposit_percent,
            self.currency,
        )

    def trusted(self, trust: Trust) -> Customer:
        terms = self.payment_terms.model_copy(update={"deposit_percent": trust.deposit_percent})
        return replace(
            self,
            customer_class=trust.customer_class,
            credit_limit=trust.credit_limit,
            payment_terms=terms,
            currency=trust.currency,
        )


@dataclass(frozen=True)
class Trust:
    """The values only two master-data people together may change."""

    customer_class: CustomerClass
    credit_limit: Decimal
    deposit_percent: Decimal | None
    currency: str

    def same_as(self, other: Trust) -> bool:
        return (
            self.customer_class == other.customer_class
            and self.credit_limit == other.credit_limit
            and (self.deposit_percent or 0) == (other.deposit_percent or 0)
            and self.currency == other.currency
        )


def put_customer(existing: Customer | None, asked: Customer) -> tuple[Customer, Trust | None]:
    """What takes effect now, and the trust asked for that waits for a second person (None when
    it is what the customer has already).

    A new customer stands guarded until then: class C (signature and deposit before release)
    and no credit (every order goes to an approver), with the deposit rule and currency asked.
    """
    if existing is None:
        trust = asked.trust
        current = asked.trusted(
            Trust(CustomerClass.C, Decimal(0), trust.deposit_percent, trust.currency)
        )
    else:
        current = asked.trusted(existing.trust)
    return current, None if current.trust.same_as(asked.trust) else asked.trust


@dataclass
class CustomerChange:
    """A change of a customer's trust, asked by one master-data person, waiting for another."""

    change_id: UUID
    customer_id: str
    before: Trust
    after: Trust
    requested_by: str
    requested_at: datetime
    status: CustomerChangeStatus = CustomerChangeStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None

    def approve(self, by: str, at: datetime) -> bool:
        """Four eyes: the one who asked for the change never approves it. The same approver
        again (the answer lost on the way) changes nothing (returns False)."""
        if self.status == CustomerChangeStatus.APPROVED and self.decided_by == by:
            return False
        self._require_pending("approve")
        if by == self.requested_by:
            raise FourEyes(
                f"four eyes: {by} asked for this change, so another master-data person approves it"
            )
        self.status, self.decided_by, self.decided_at = CustomerChangeStatus.APPROVED, by, at
        return True

    def applied_to(self, customer: Customer) -> Customer:
        """The customer with the approved trust; refused if its trust moved since the ask."""
        if not customer.trust.same_as(self.before):
            raise IllegalTransition(
                "approve the change", "stale", "the customer changed since it was asked for"
            )
        return customer.trusted(self.after)

    def reject(self, by: str, at: datetime, reason: str) -> None:
        """Turned down by another master-data person, or withdrawn by the one who asked."""
        if self.status == CustomerChangeStatus.REJECTED and self.decided_by == by:
            return
        self._require_pending("reject")
        self.status, self.decided_by, self.decided_at = CustomerChangeStatus.REJECTED, by, at
        self.reason = reason

    def _require_pending(self, action: str) -> None:
        if self.status != CustomerChangeStatus.PENDING:
            raise IllegalTransition(f"{action} the change", self.status.value)


@dataclass(frozen=True)
class PriceEntry:
    """The list price of one product."""

    product_code: str
    unit_price: Decimal
    currency: str = "CNY"
    description: str | None = None
