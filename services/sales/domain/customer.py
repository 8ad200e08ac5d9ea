"""Customer master and price list entries, as the sales desk keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from contracts.common import PaymentTerms
from contracts.enums import CustomerClass


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


@dataclass(frozen=True)
class PriceEntry:
    """The list price of one product."""

    product_code: str
    unit_price: Decimal
    currency: str = "CNY"
    description: str | None = None
