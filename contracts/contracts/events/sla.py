"""Deadline breaches: every timer that expires is an event, never a silent log line.

One payload shape, :class:`SlaBreached`, published under one type per kind of subject. Each type
has its own tiny subclass because the registry maps each ``(type, version)`` to one class.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Event
from contracts.common import Text
from contracts.enums import Deadline
from contracts.registry import register


class SlaBreached(Event):
    """A deadline passed without the action it waited for."""

    deadline: Deadline = Field(description="Which deadline, e.g. 'review', 'signature'.")
    subject_id: Text = Field(
        description="Identifier of what the deadline is about (order, shipment, complaint, "
        "service ticket or invoice id)."
    )
    subject_no: str | None = Field(
        default=None, description="Human number of the subject (order no, complaint no, ...)."
    )
    order_id: UUID | None = Field(default=None, description="Order concerned, if any.")
    due_at: AwareDatetime = Field(description="When the action was due.")
    breached_at: AwareDatetime = Field(description="When the breach was detected.")
    details: str | None = Field(default=None, description="What was still missing.")


@register
class OrderSlaBreached(SlaBreached):
    """An order deadline passed (info request, review, approval, signature, delivery...)."""

    message_type = "order.sla_breached"
    message_version = 1


@register
class ShipmentSlaBreached(SlaBreached):
    """A shipment deadline passed (tracking number to the customer within 24 h...)."""

    message_type = "shipment.sla_breached"
    message_version = 1


@register
class ComplaintSlaBreached(SlaBreached):
    """A complaint deadline passed (assignment within 2 h, resolution in 10/15 days)."""

    message_type = "complaint.sla_breached"
    message_version = 1


@register
class ServiceTicketSlaBreached(SlaBreached):
    """A service deadline passed (visit, spare-part installation by urgency class)."""

    message_type = "service_ticket.sla_breached"
    message_version = 1


@register
class PaymentSlaBreached(SlaBreached):
    """A money deadline passed (invoice within 3 business days, payment due, collections)."""

    message_type = "payment.sla_breached"
    message_version = 1
