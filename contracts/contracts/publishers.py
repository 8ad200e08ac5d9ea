"""Who may publish each event: the service that owns it, by default the one whose module defines
it (``contracts.events.sales`` -> ``sales``).

Consumers trust an event only from its publishers: the broker login on the message (AMQP
``user_id``, which the broker checks against the connection) must be one of them, and so must the
producer the envelope names. The deployment's topic permissions grant the same: a service's
broker user may write only the routing keys of the events it publishes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from contracts.registry import REGISTRY

SERVICES: tuple[str, ...] = ("sales", "production", "warehouse", "logistics", "customer_service")
"""The services that publish events, by the names they log in to the broker with."""

# Events whose publishers are not (only) the owner of their module.
_SHARED: Mapping[str, frozenset[str]] = {
    # each reviewing department answers the contract review for itself (finance's answer is
    # recorded by sales)
    "order.reviewed": frozenset({"sales", "warehouse", "production"}),
    # the carrier brings a return back: logistics reports it arrived (the warehouse inspects it)
    "return.received": frozenset({"logistics"}),
    # sales moves the promise; customer service records the customer's consent to a new date
    "order.delivery_date_changed": frozenset({"sales", "customer_service"}),
    # sales' deadlines, and customer service's deadline for the customer's consent to a delay
    "order.sla_breached": frozenset({"sales", "customer_service"}),
    "payment.sla_breached": frozenset({"sales"}),
    "shipment.sla_breached": frozenset({"logistics"}),
    "complaint.sla_breached": frozenset({"customer_service"}),
    "service_ticket.sla_breached": frozenset({"customer_service"}),
    # every service takes commands, and answers its senders
    "command.accepted": frozenset(SERVICES),
    "command.rejected": frozenset(SERVICES),
}


def _owner(module: str) -> str:
    """``contracts.events.warehouse`` -> ``warehouse``."""
    return module.rsplit(".", 1)[-1]


@cache
def publishers() -> Mapping[str, frozenset[str]]:
    """Event type -> the services that may publish it (the registry is complete once
    ``contracts`` is imported, so this is computed once)."""
    found: dict[str, frozenset[str]] = {}
    for spec in REGISTRY.events():
        owner = _owner(spec.model.__module__)
        found[spec.type] = _SHARED.get(spec.type) or frozenset({owner})
    return found


def publishers_of(event_type: str) -> frozenset[str]:
    """The services that may publish ``event_type``; empty for a type nobody publishes."""
    return publishers().get(event_type, frozenset())


def published_by(service: str) -> list[str]:
    """The event types ``service`` may publish, sorted."""
    return sorted(t for t, who in publishers().items() if service in who)
