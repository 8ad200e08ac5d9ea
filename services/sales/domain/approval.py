"""The approval matrix: which rule an order falls under, and who may approve it at its amount.

Policies: important orders need senior leadership's approval (000 订单审批制度: 重要的订单需要经过
高层领导的审批); rush orders need the production VP's view (000 南昌 第六条(三): 紧急订单须经产销
协调会议主管生产副总意见); a price that does not match the price list goes to the customer-service
supervisor and the marketing director (003: 如发现与价格或规格疑处 ... 上报客服主管和营销总监).

The policies name nobody for an order over the customer's credit or on special payment terms;
both are the company lending money (credit, or a deposit it does not ask for), so they follow
the ladder of large orders: the sales manager up to a band, the general manager above. Finance
reports the credit headroom in its review but does not approve it: the people who record money
do not also lend it.

Amounts are compared in the company's base currency (CNY by default): an order in another
currency is converted with the rate table master data keeps, so USD 90,000 is judged as the
CNY 639,000 it is, not as 90,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from contracts.enums import ApprovalReason
from contracts.roles import Role
from contracts.status.sales import ApprovalRule

R = ApprovalRule

APPROVER_ROLES: frozenset[str] = frozenset(
    {
        Role.SALES_MANAGER,
        Role.GENERAL_MANAGER,
        Role.PRODUCTION_VP,
        Role.AFTER_SALES_MANAGER,
        Role.MARKETING,
        Role.FINANCE,
        Role.VP,
    }
)
"""The roles the matrix may name: the approve route admits exactly these."""

# The contract's reasons are coarser: special terms and unlisted prices travel as "other".
_CONTRACT_REASON = {
    R.OVER_AMOUNT_THRESHOLD: ApprovalReason.OVER_AMOUNT_THRESHOLD,
    R.RUSH: ApprovalReason.RUSH,
    R.BELOW_LIST_PRICE: ApprovalReason.BELOW_LIST_PRICE,
    R.CREDIT_LIMIT: ApprovalReason.CREDIT_LIMIT,
    R.SPECIAL_TERMS: ApprovalReason.OTHER,
    R.UNLISTED_PRICE: ApprovalReason.OTHER,
}


def contract_reasons(rules: Iterable[ApprovalRule]) -> list[ApprovalReason]:
    reasons: list[ApprovalReason] = []
    for rule in rules:
        if _CONTRACT_REASON[rule] not in reasons:
            reasons.append(_CONTRACT_REASON[rule])
    return reasons


@dataclass(frozen=True)
class Band:
    """Up to ``up_to`` (inclusive, in the base currency; None = no limit) one of ``roles``
    approves."""

    up_to: Decimal | None
    roles: frozenset[str]


@dataclass(frozen=True)
class ApprovalMatrix:
    """Rule x amount band -> the roles any one of which approves. Checked when built: every rule
    has bands, rising, the last without limit, each naming approver roles."""

    bands: Mapping[ApprovalRule, tuple[Band, ...]]

    def __post_init__(self) -> None:
        for rule in ApprovalRule:
            _check_bands(rule, self.bands.get(rule, ()))

    def roles_for(self, rule: ApprovalRule, amount: Decimal) -> frozenset[str]:
        for band in self.bands[rule]:
            if band.up_to is None or amount <= band.up_to:
                return band.roles
        raise AssertionError("the last band has no limit")  # __post_init__ guarantees it


def _check_bands(rule: ApprovalRule, bands: tuple[Band, ...]) -> None:
    where = f"approval_matrix.{rule.value}"
    if not bands:
        raise ValueError(f"{where}: no band: name who approves it")
    limits = [b.up_to for b in bands]
    if limits[-1] is not None or None in limits[:-1]:
        raise ValueError(f"{where}: only the last band is without limit (up_to null)")
    bounded = [limit for limit in limits if limit is not None]
    if any(a >= b for a, b in pairwise(bounded)) or any(x <= 0 for x in bounded):
        raise ValueError(f"{where}: band limits must be positive and rising")
    for band in bands:
        if not band.roles:
            raise ValueError(f"{where}: a band names no role")
        unknown = band.roles - APPROVER_ROLES
        if unknown:
            raise ValueError(
                f"{where}: {', '.join(sorted(unknown))} cannot approve orders"
                f" (approvers: {', '.join(sorted(APPROVER_ROLES))})"
            )


def _ladder(general_manager_above: Decimal) -> tuple[Band, ...]:
    return (
        Band(general_manager_above, frozenset({Role.SALES_MANAGER, Role.GENERAL_MANAGER})),
        Band(None, frozenset({Role.GENERAL_MANAGER})),
    )


def default_matrix(general_manager_above: Decimal = Decimal("500000")) -> ApprovalMatrix:
    """The policies' authorities (see the module's docstring)."""
    anyone = Band(None, frozenset({Role.AFTER_SALES_MANAGER, Role.MARKETING}))
    return ApprovalMatrix(
        {
            R.OVER_AMOUNT_THRESHOLD: _ladder(general_manager_above),
            R.CREDIT_LIMIT: _ladder(general_manager_above),
            R.SPECIAL_TERMS: _ladder(general_manager_above),
            R.RUSH: (Band(None, frozenset({Role.PRODUCTION_VP})),),
            R.BELOW_LIST_PRICE: (anyone,),
            R.UNLISTED_PRICE: (anyone,),
        }
    )


@dataclass(frozen=True)
class Person:
    """Who takes a decision: the signed-in person's name and roles (never a name in a body)."""

    name: str
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Approval:
    """One rule approved: by whom, in which role, when, and for which amount (base currency)."""

    by: str
    role: str
    at: datetime
    base_amount: Decimal
    notes: str | None = None


@dataclass(frozen=True)
class Valuation:
    """An order's money in the base currency, for the thresholds and the credit check."""

    base_currency: str
    rate: Decimal
    """Units of the base currency for one unit of the order's currency."""
    credit_in_use: Decimal
    """What the customer owes or will owe on its other open orders."""
    credit_limit: Decimal

    @classmethod
    def in_base(
        cls, credit_in_use: Decimal, credit_limit: Decimal, base_currency: str = "CNY"
    ) -> Valuation:
        """An order already in the base currency."""
        return cls(base_currency, Decimal(1), credit_in_use, credit_limit)

    def to_base(self, amount: Decimal) -> Decimal:
        return (amount * self.rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
