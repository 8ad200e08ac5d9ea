"""Refusals logistics' rules raise, in the kit's vocabulary: a 409 over HTTP (with the status
the shipment was in) or a 422 naming the field at fault, and a dead letter on the bus."""

from __future__ import annotations

from shared.errors import Conflict, Invalid


class IllegalTransition(Conflict):
    """The shipment's status does not allow the step; ``status`` says which it was in."""

    def __init__(self, message: str, status: str) -> None:
        super().__init__(message, state=status)
        self.status = status


class NoCarrierAvailable(Invalid):
    """No active carrier service can take this shipment: none goes there (``field`` is the
    country) or none takes its weight (``weight_kg``)."""
