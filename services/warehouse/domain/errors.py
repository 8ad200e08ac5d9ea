"""Errors the warehouse rules raise; the entrypoints map them to 409 / dead letters."""

from __future__ import annotations


class WarehouseError(Exception):
    """A request that breaks a warehouse rule."""


class IllegalTransition(WarehouseError):
    """The thing is not in a state that allows the step; carries the current status."""

    def __init__(self, what: str, status: str, detail: str = "") -> None:
        self.status = status
        super().__init__(f"{what} is {status}{': ' + detail if detail else ''}")


class StockRuleViolation(WarehouseError):
    """A stock change would make on-hand negative or smaller than what is reserved."""


class QcCheckFailed(WarehouseError):
    """Packed goods do not match the order (quantity or model)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))
