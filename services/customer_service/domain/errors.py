"""Refusals the customer service's rules raise, in the kit's vocabulary (``shared.errors``): a
step its status does not allow is a 409 carrying that status; each is dead-lettered on the bus."""

from __future__ import annotations

from shared.errors import Conflict


class IllegalTransition(Conflict):
    """The action does not fit the current status (``state`` says which)."""

    def __init__(self, what: str, status: str, action: str) -> None:
        super().__init__(f"cannot {action} a {what} that is {status}", state=str(status))
        self.status = str(status)
        self.action = action
