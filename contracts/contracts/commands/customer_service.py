"""Commands to the customer-service service from the web shop, call centre or e-mail desk."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from contracts.base import Command
from contracts.common import Contact, LineNo, OrderNo, Text
from contracts.enums import Channel, ComplaintCategory, Resolution, Severity
from contracts.registry import register


@register
class OpenComplaint(Command):
    """Register a customer complaint. The same ``client_reference`` twice opens one complaint."""

    message_type = "customer_service.open_complaint"
    message_version = 1

    client_reference: Text = Field(
        description="The sending system's unique reference (idempotency key)."
    )
    customer_id: Text = Field(description="Complaining customer.")
    contact: Contact | None = Field(default=None, description="Who to call back.")
    channel: Channel = Field(description="How the complaint arrived.")
    category: ComplaintCategory = Field(description="Category of the complaint.")
    severity: Severity = Field(default=Severity.MEDIUM, description="How bad it is.")
    description: Text = Field(description="The complaint in the customer's words.")
    order_id: UUID | None = Field(default=None, description="Order complained about.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    tracking_no: str | None = Field(default=None, description="Shipment tracking number.")
    line_nos: list[LineNo] = Field(
        default_factory=list, description="Order lines complained about."
    )
    expected_outcome: Resolution | None = Field(
        default=None, description="What the customer asks for."
    )
    domestic: bool = Field(default=True, description="Domestic or foreign customer.")
