"""Refusals the sales rules raise, in the kit's vocabulary: a step the status does not allow is a
409 with the state it met, a value that breaks a rule a 422 naming the field, a decision taken
by the wrong person a 403; on the bus each is a dead letter with its reason."""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import Conflict, Forbidden, Invalid


class IllegalTransition(Conflict):
    """The order (or invoice, or master-data change) is in a status where this action is not
    allowed."""

    def __init__(self, action: str, status: str, detail: str = "") -> None:
        self.action = action
        self.status = status
        text = f"cannot {action} in status {status}" + (f": {detail}" if detail else "")
        super().__init__(text, state=status)


class InvalidChange(Invalid):
    """The requested change names something that does not exist or breaks a rule."""


class NoExchangeRate(Invalid):
    """An amount in a currency the rate table does not know: it cannot be judged against the
    thresholds, which are in the base currency."""

    def __init__(self, currency: str, base: str) -> None:
        super().__init__(
            "currency",
            f"no exchange rate from {currency} to {base}: master data sets it first"
            f" (PUT /exchange-rates/{currency})",
        )
        self.currency = currency


class FourEyes(Forbidden):
    """A decision needs a second person: nobody approves what they entered, amended or asked
    for themselves."""


class NotEntitled(Forbidden):
    """The person holds none of the roles this decision needs (the approval matrix)."""

    def __init__(self, detail: str, roles: Iterable[str]) -> None:
        super().__init__(detail, roles=roles)
