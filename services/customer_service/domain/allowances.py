"""Complaint allowances: money given back to settle a complaint, and who may grant how much.

A discount settles a complaint with money: sales turns it into a credit note against the order,
and refunds what the customer paid beyond what is still owed. It is a price below the one agreed,
which the policies put in the customer-service supervisor's hands (003 客户订单下单流程: a price in
doubt goes up to 客服主管 and 营销总监), and a complaint the departments cannot agree on goes to
the vice-president in charge (000 订单(合同)交付及售后服务管理制度 第十条(三)(3)). The policies
name no amounts, so how much each role may grant on its own is configuration: a limit per role in
the company's base currency, others converted at the configured rates. Whoever resolves with more
than their limit proposes it, and a person of a role whose limit covers it approves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

NO_LIMIT = Decimal("Infinity")


@dataclass(frozen=True)
class AllowancePolicy:
    base_currency: str
    limits: Mapping[str, Decimal]
    """Role -> the most a person of that role may grant alone, in the base currency
    (``NO_LIMIT`` for the top of the ladder)."""
    rates: Mapping[str, Decimal]
    """Currency -> units of the base currency per unit; the base currency is 1."""

    def __post_init__(self) -> None:
        if NO_LIMIT not in self.limits.values():
            raise ValueError("complaint allowance limits: one role must have no limit")

    def in_base(self, amount: Decimal, currency: str) -> Decimal:
        """The amount in the base currency; a currency without a rate counts as unbounded, so
        only the top of the ladder may grant it (nobody can tell how much it is)."""
        if currency == self.base_currency:
            return amount
        rate = self.rates.get(currency)
        return NO_LIMIT if rate is None else amount * rate

    def limit_of(self, roles: Iterable[str]) -> Decimal:
        """The most a person holding ``roles`` may grant alone (0 without an allowance role)."""
        return max((self.limits.get(str(r), Decimal(0)) for r in roles), default=Decimal(0))

    def may_grant(self, roles: Iterable[str], amount: Decimal, currency: str) -> bool:
        return self.in_base(amount, currency) <= self.limit_of(roles)

    def approvers(self, amount: Decimal, currency: str) -> list[str]:
        """The roles whose limit covers the allowance."""
        needed = self.in_base(amount, currency)
        return sorted(role for role, limit in self.limits.items() if limit >= needed)
