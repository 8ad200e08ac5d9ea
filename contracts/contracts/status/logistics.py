"""Statuses of logistics' shipments and where their tracking scans came from."""

from __future__ import annotations

from enum import StrEnum


class ShipmentState(StrEnum):
    """A shipment as logistics holds it: the statuses a carrier reports
    (``contracts.enums.ShipmentStatus``), plus cancelled before the carrier collected it."""

    BOOKED = "booked"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    CANCELLED = "cancelled"


class ShipmentKind(StrEnum):
    """Goods going out to a customer, or a return collected from one."""

    OUTBOUND = "outbound"
    RETURN_PICKUP = "return_pickup"


class ScanSource(StrEnum):
    """How a tracking scan reached logistics."""

    WEBHOOK = "webhook"
    COMMAND = "command"
    SIMULATOR = "simulator"
