"""The carrier port (one interface for every carrier) and the built-in simulated carrier.

A real carrier integration implements ``CarrierGateway``; the simulated one lets the whole system
run without outside services. It is deterministic: tracking numbers derive from the shipment id,
scan ids from the tracking number and the step, scan times from the caller's clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from contracts.enums import ShipmentStatus
from services.logistics.domain.shipment import Scan

_LIFECYCLE = [
    ShipmentStatus.PICKED_UP,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.DELIVERED,
]


@dataclass(frozen=True)
class BookingRequest:
    shipment_id: UUID
    carrier: str
    service_level: str
    pickup_date: date
    weight_kg: str
    package_count: int
    destination_city: str
    destination_country: str


@dataclass(frozen=True)
class Booking:
    booking_ref: str
    tracking_no: str | None


class CarrierGateway(Protocol):
    """What logistics asks of a carrier. ``book`` is idempotent per shipment id."""

    async def book(self, request: BookingRequest) -> Booking: ...

    async def cancel(self, carrier: str, booking_ref: str) -> None: ...


@dataclass
class SimulatedCarrier:
    """A carrier that answers at once. ``tracking_at_booking=False`` rehearses a late number."""

    tracking_at_booking: bool = True
    prefix: str = "SIM"
    bookings: dict[UUID, Booking] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)

    def tracking_no_for(self, carrier: str, shipment_id: UUID) -> str:
        return f"{carrier}{self.prefix}{shipment_id.int % 10**12:012d}"

    async def book(self, request: BookingRequest) -> Booking:
        booking = Booking(
            booking_ref=f"BK-{request.shipment_id.hex[:12].upper()}",
            tracking_no=(
                self.tracking_no_for(request.carrier, request.shipment_id)
                if self.tracking_at_booking
                else None
            ),
        )
        self.bookings.setdefault(request.shipment_id, booking)
        return self.bookings[request.shipment_id]

    async def cancel(self, carrier: str, booking_ref: str) -> None:
        self.cancelled.append(booking_ref)

    def next_scan(
        self,
        carrier: str,
        tracking_no: str,
        current: str,
        at: datetime,
        *,
        location: str | None = None,
        signed_by: str = "Recipient",
        eta: date | None = None,
    ) -> Scan | None:
        """The scan the carrier would report next from status ``current``; None when done."""
        order = [s.value for s in _LIFECYCLE]
        step = order.index(current) + 1 if current in order else 0
        if step >= len(_LIFECYCLE):
            return None
        status = _LIFECYCLE[step]
        delivered = status == ShipmentStatus.DELIVERED
        return Scan(
            carrier=carrier,
            tracking_no=tracking_no,
            scan_id=f"{tracking_no}-{step + 1}",
            status=status,
            at=at,
            location=location or "simulated hub",
            description=f"simulated {status.value}",
            eta=eta,
            signed_by=signed_by if delivered else None,
            proof_ref=f"SIMPOD-{tracking_no}" if delivered else None,
        )
