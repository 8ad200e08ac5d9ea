"""Domain errors."""

from __future__ import annotations


class IllegalTransition(Exception):
    """The action does not fit the current status; the HTTP API answers 409."""

    def __init__(self, what: str, status: str, action: str) -> None:
        super().__init__(f"cannot {action} a {what} that is {status}")
        self.status = status
        self.action = action
