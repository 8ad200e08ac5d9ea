"""What carriers report: scans (with the signed delivery note), collection, tracking numbers;
and dispatch cancelling a booking before the carrier has the goods."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from contracts.status.logistics import ScanSource, ShipmentState
from services.logistics.app.unit import Work
from services.logistics.domain.shipment import Scan, Shipment
from shared.errors import NotFound


@dataclass(frozen=True)
class ScanResult:
    shipment_id: UUID
    duplicate: bool
    applied: bool
    status: ShipmentState


@dataclass(frozen=True)
class Document:
    """The scan or photo of the signed delivery note, as the carrier sent it."""

    content: bytes
    content_type: str | None


async def record_scan(
    work: Work, scan: Scan, source: ScanSource, document: Document | None = None
) -> ScanResult:
    """A carrier scan: deduplicated by (carrier, scan id), applied unless stale.

    Who signed the delivery note is what the carrier declares (``scan.signed_by``); who posted
    the scan (the signed-in carrier system or dispatcher, or the sending system of a command)
    and when it was recorded are the unit of work's."""
    shipment = await work.shipments.by_tracking(scan.carrier, scan.tracking_no, lock=True)
    if shipment is None:
        raise NotFound(f"shipment with carrier {scan.carrier} tracking no", scan.tracking_no)
    work.uow.correlation_id = shipment.correlation_id
    shipment.check_scan(scan)
    row_id = await work.scans.add(shipment.id, scan, source, work.now, work.actor.name)
    if row_id is None:
        return ScanResult(shipment.id, True, False, shipment.status)
    applied = shipment.apply_scan(scan, work.policy)
    # saved even when stale: a late pickup scan still moves the dispatch time back
    await work.shipments.save(shipment)
    if applied:
        await work.scans.mark_applied(row_id)
        if shipment.proof is not None:
            await work.proofs.archive(
                shipment.id,
                shipment.proof,
                work.now,
                work.actor.name,
                document.content if document else None,
                document.content_type if document else None,
            )
        await work.publish(shipment)
    return ScanResult(shipment.id, False, applied, shipment.status)


async def shipment_to_change(work: Work, shipment_id: UUID) -> Shipment:
    """The shipment, locked for this unit of work; what it emits belongs to its order."""
    shipment = await work.shipments.get(shipment_id, lock=True)
    if shipment is None:
        raise NotFound("shipment", shipment_id)
    work.uow.correlation_id = shipment.correlation_id
    return shipment


async def confirm_collection(
    work: Work, shipment_id: UUID, tracking_no: str | None = None
) -> Shipment:
    """The carrier says it collected the goods (possibly without a tracking number yet)."""
    shipment = await shipment_to_change(work, shipment_id)
    if tracking_no:
        shipment.assign_tracking_number(tracking_no, work.now)
    shipment.confirm_collection(work.now, work.policy)
    await work.shipments.save(shipment)
    await work.publish(shipment)
    return shipment


async def assign_tracking_number(work: Work, shipment_id: UUID, tracking_no: str) -> Shipment:
    shipment = await shipment_to_change(work, shipment_id)
    if shipment.assign_tracking_number(tracking_no, work.now):
        await work.shipments.save(shipment)
        await work.publish(shipment)
    return shipment


async def cancel_shipment(work: Work, shipment_id: UUID, reason: str) -> Shipment:
    """Cancel a booking before dispatch; IllegalTransition (409) after."""
    shipment = await shipment_to_change(work, shipment_id)
    if shipment.cancel(work.now, reason):
        await work.gateway.cancel(shipment.carrier, shipment.booking_ref)
        await work.shipments.save(shipment)
        await work.publish(shipment)
    return shipment
