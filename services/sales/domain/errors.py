"""Domain errors: an action the order's current state does not allow."""

from __future__ import annotations


class IllegalTransition(Exception):
    """The order (or invoice) is in a status where this action is not allowed."""

    def __init__(self, action: str, status: str, detail: str = "") -> None:
        self.action = action
        self.status = status
        self.detail = detail
        super().__init__(f"cannot {action} in status {status}" + (f": {detail}" if detail else ""))


class InvalidChange(ValueError):
    """The requested change names something that does not exist or breaks a rule."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")
