"""The built-in simulated carrier is deterministic, so tests and demos can rely on it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from contracts.enums import ShipmentStatus
from services.logistics.adapters.carriers import BookingRequest, SimulatedCarrier

SHIPMENT = UUID("12345678-1234-5678-1234-567812345678")
AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def request(shipment_id: UUID = SHIPMENT) -> BookingRequest:
    return BookingRequest(shipment_id, "SF", "express", date(2026, 12, 1), "5", 1, "Shanghai", "CN")


async def test_tracking_numbers_derive_from_the_shipment_and_booking_is_idempotent():
    carrier = SimulatedCarrier()
    first = await carrier.book(request())
    again = await carrier.book(request())
    other = await SimulatedCarrier().book(request())
    assert first == again == other
    assert first.tracking_no == carrier.tracking_no_for("SF", SHIPMENT)
    assert first.tracking_no is not None and first.tracking_no.startswith("SFSIM")
    assert len(carrier.bookings) == 1


async def test_a_carrier_can_withhold_the_tracking_number_at_booking():
    booking = await SimulatedCarrier(tracking_at_booking=False).book(request())
    assert booking.tracking_no is None
    assert booking.booking_ref


def test_scans_follow_the_lifecycle_and_end_with_a_signed_delivery():
    carrier = SimulatedCarrier()
    status, seen = "booked", []
    while (scan := carrier.next_scan("SF", "SF1", status, AT, signed_by="Li")) is not None:
        seen.append((scan.scan_id, scan.status))
        status = scan.status.value
    assert seen == [
        ("SF1-1", ShipmentStatus.PICKED_UP),
        ("SF1-2", ShipmentStatus.IN_TRANSIT),
        ("SF1-3", ShipmentStatus.OUT_FOR_DELIVERY),
        ("SF1-4", ShipmentStatus.DELIVERED),
    ]
    delivered = carrier.next_scan("SF", "SF1", "out_for_delivery", AT, signed_by="Li")
    assert delivered is not None
    assert (delivered.signed_by, delivered.proof_ref, delivered.at) == ("Li", "SIMPOD-SF1", AT)
