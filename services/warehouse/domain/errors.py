"""Refusals the warehouse rules raise, in the kit's vocabulary: each is a 409 over HTTP (with the
state it met) and a dead letter on the bus."""

from __future__ import annotations

from shared.errors import Conflict


class WarehouseError(Conflict):
    """A request that breaks a warehouse rule."""

    def __init__(self, detail: str, *, state: str | None = None) -> None:
        super().__init__(detail, state=state)


class IllegalTransition(WarehouseError):
    """The thing is not in a state that allows the step; carries the current status."""

    def __init__(self, what: str, status: str, detail: str = "") -> None:
        self.status = status
        super().__init__(f"{what} is {status}{': ' + detail if detail else ''}", state=status)


class StockRuleViolation(WarehouseError):
    """A stock change would make on-hand negative or smaller than what is reserved."""


class QcCheckFailed(WarehouseError):
    """Packed goods do not match the order (quantity or model)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("QC check failed: " + "; ".join(problems))
