"""Refusals production's rules raise, in the kit's vocabulary: a 409 over HTTP (with the state
the work order was in) and a dead letter on the bus."""

from __future__ import annotations

from shared.errors import Conflict


class IllegalTransition(Conflict):
    """The work order's state does not allow the action; ``status`` says which it was in."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message, state=status)
        self.status = status


class NoCapacity(Conflict):
    """No line can make the family, or not within the planning horizon."""


class CannotSchedule(Conflict):
    """A confirmed order production cannot plan: a product it has no family for."""
