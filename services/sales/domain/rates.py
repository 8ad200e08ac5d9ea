"""Exchange rates kept as master data: amounts in any currency judged in the base currency."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from services.sales.domain.errors import InvalidChange, NoExchangeRate

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ExchangeRates:
    """``rates[c]``: units of ``base`` for one unit of ``c``. The base is always 1."""

    base: str
    rates: Mapping[str, Decimal] = field(default_factory=dict)

    def rate(self, currency: str) -> Decimal:
        if currency == self.base:
            return Decimal(1)
        found = self.rates.get(currency)
        if found is None:
            raise NoExchangeRate(currency, self.base)
        return found

    def to_base(self, amount: Decimal, currency: str) -> Decimal:
        return (amount * self.rate(currency)).quantize(CENT, rounding=ROUND_HALF_UP)

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal:
        if source == target:
            return amount
        value = amount * self.rate(source) / self.rate(target)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def check_rate(currency: str, rate: Decimal, base: str) -> None:
    """A rate master data may set: for a currency other than the base, positive."""
    if currency == base:
        raise InvalidChange("currency", f"{base} is the base currency: its rate is always 1")
    if rate <= 0:
        raise InvalidChange("rate", "must be positive")
