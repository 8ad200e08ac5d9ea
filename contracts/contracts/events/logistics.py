"""Events of logistics: dispatch, tracking, exceptions, delays, proof of delivery."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import Event
from contracts.common import Address, OrderNo, Text
from contracts.enums import DelayCause, ShipmentExceptionKind, ShipmentStatus
from contracts.registry import register


class ShipmentEvent(Event):
    """Base of the events about one shipment."""

    shipment_id: UUID = Field(description="Shipment identifier.")
    order_id: UUID = Field(description="Order shipped.")
    order_no: OrderNo = Field(description="Order number.")
    carrier: Text = Field(description="Carrier code, e.g. 'SF', 'ZTO'.")
    tracking_no: Text = Field(description="Carrier's tracking number.")


@register
class GoodsShipped(ShipmentEvent):
    """The carrier took the goods; the customer must have the tracking number within 24 h."""

    message_type = "goods.shipped"
    message_version = 1

    service_level: str | None = Field(default=None, description="Carrier service booked.")
    eta: date = Field(description="Expected delivery day.")
    package_count: int = Field(ge=1, description="Packages handed over.")
    total_weight_kg: Decimal = Field(gt=0, description="Total weight in kg.")
    delivery_address: Address = Field(description="Where the goods go.")
    tracking_url: str | None = Field(default=None, description="Public tracking page.")


@register
class ShipmentUpdated(ShipmentEvent):
    """A tracking scan changed what is known about the shipment."""

    message_type = "shipment.updated"
    message_version = 1

    status: ShipmentStatus = Field(description="Status after the scan.")
    location: str | None = Field(default=None, description="Where the scan happened.")
    scanned_at: AwareDatetime = Field(description="When the carrier scanned.")
    eta: date | None = Field(default=None, description="Current expected delivery day.")
    description: str | None = Field(default=None, description="Carrier's text.")


@register
class ShipmentException(ShipmentEvent):
    """Something went wrong in transit (wrong address, damage, loss)."""

    message_type = "shipment.exception"
    message_version = 1

    exception_kind: ShipmentExceptionKind = Field(description="Kind of problem.")
    description: Text = Field(description="What happened.")
    location: str | None = Field(default=None, description="Where it happened.")
    reported_at: AwareDatetime = Field(description="When the carrier reported it.")


@register
class ShipmentDelayed(ShipmentEvent):
    """The shipment will arrive after its ETA (``*.delayed``)."""

    message_type = "shipment.delayed"
    message_version = 1

    old_date: date | None = Field(default=None, description="Previous expected delivery day.")
    new_date: date = Field(description="New expected delivery day.")
    cause: DelayCause = Field(description="Kind of cause.")
    reason: Text = Field(description="What happened, in words.")


@register
class GoodsDelivered(ShipmentEvent):
    """The customer signed for the goods; the signed delivery note is archived."""

    message_type = "goods.delivered"
    message_version = 1

    signed_by: Text = Field(description="Who signed for the goods.")
    signed_at: AwareDatetime = Field(description="When they signed.")
    proof_ref: Text = Field(description="Reference of the archived proof of delivery.")
    remarks: str | None = Field(default=None, description="Remarks written on the note.")


@register
class ShipmentCancelled(Event):
    """A booking was cancelled before the carrier collected the goods (order cancelled)."""

    message_type = "shipment.cancelled"
    message_version = 1

    shipment_id: UUID = Field(description="Shipment identifier.")
    order_id: UUID | None = Field(default=None, description="Order the shipment was for.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    return_id: UUID | None = Field(default=None, description="Return, for a return pickup.")
    carrier: Text = Field(description="Carrier code.")
    booking_ref: Text = Field(description="Carrier's booking reference, now cancelled.")
    tracking_no: str | None = Field(default=None, description="Tracking number, if issued.")
    reason: Text = Field(description="Why the booking was cancelled.")
    cancelled_at: AwareDatetime = Field(description="When it was cancelled.")


@register
class ShipmentCancellationRefused(Event):
    """An order was cancelled after dispatch: the goods are with the carrier, nothing undone."""

    message_type = "shipment.cancellation_refused"
    message_version = 1

    shipment_id: UUID = Field(description="Shipment identifier.")
    order_id: UUID = Field(description="Order whose cancellation could not stop the shipment.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    carrier: Text = Field(description="Carrier code.")
    tracking_no: str | None = Field(default=None, description="Tracking number, if issued.")
    status: ShipmentStatus | None = Field(
        default=None, description="Shipment status when the cancellation came in."
    )
    dispatched_at: AwareDatetime | None = Field(
        default=None, description="When the carrier collected the goods."
    )
    reason: Text = Field(description="Why the cancellation was refused.")
