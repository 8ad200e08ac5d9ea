"""Completeness check of a submitted order (the order intake sheet, 《销售部客户订单确认书》).

Policy: customer, contact, and per line product code, specification, quantity; the requested
date; delivery address; payment terms. A vague specification ("similar to last time") is not a
specification: the customer must be asked, so the order is incomplete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contracts.common import Address, Contact, PaymentTerms
from services.sales.domain.customer import Customer, PriceEntry

_VAGUE = re.compile(
    r"(similar|same|like)\s+(to\s+|as\s+)?(the\s+)?(last|previous|before|usual)"
    r"|as\s+(usual|before|last\s+time)"
    r"|^\s*(tbd|tba|n/?a|\?+|-+|same|usual|ditto)\s*$"
    r"|同上次|跟上次|和上次|照旧|老样子|同前|待定",
    re.IGNORECASE,
)


def is_vague_spec(spec: str) -> bool:
    """A specification that refers to something else instead of stating what to make."""
    return len(spec.strip()) < 2 or bool(_VAGUE.search(spec))


@dataclass
class DraftLine:
    """An order line as submitted; any part may still be missing."""

    product_code: str | None = None
    spec: str | None = None
    quantity: int | None = None
    unit_price: Decimal | None = None


@dataclass
class Draft:
    """What the customer told us so far."""

    customer_id: str | None
    contact: Contact | None
    lines: list[DraftLine]
    requested_date: date | None
    delivery_address: Address | None
    payment_terms: PaymentTerms | None


def find_missing(
    draft: Draft, customer: Customer | None, prices: dict[str, PriceEntry], today: date
) -> list[str]:
    """The fields still missing or unusable, named like ``lines[2].spec`` (lines from 1)."""
    missing: list[str] = []
    if not draft.customer_id or customer is None:
        missing.append("customer_id")
    if draft.contact is None:
        missing.append("contact")
    elif not (draft.contact.phone or draft.contact.email):
        missing.append("contact.phone")
    if not draft.lines:
        missing.append("lines")
    for no, line in enumerate(draft.lines, start=1):
        if not line.product_code:
            missing.append(f"lines[{no}].product_code")
        elif line.unit_price is None and line.product_code not in prices:
            missing.append(f"lines[{no}].unit_price")
        if not line.spec or is_vague_spec(line.spec):
            missing.append(f"lines[{no}].spec")
        if line.quantity is None:
            missing.append(f"lines[{no}].quantity")
    if draft.requested_date is None or draft.requested_date < today:
        missing.append("requested_date")
    if draft.delivery_address is None:
        missing.append("delivery_address")
    if draft.payment_terms is None and customer is None:
        missing.append("payment_terms")
    return missing
