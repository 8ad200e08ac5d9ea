"""The built-in carrier's next scan, on an operator's request (the simulator's routes exist
only where switched on)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.status.logistics import ScanSource
from services.logistics.adapters.carriers import SimulatedCarrier
from services.logistics.app.tracking import ScanResult, record_scan
from services.logistics.app.unit import Work
from services.logistics.domain.shipment import Scan
from shared.errors import Conflict, NotFound


async def next_scan(
    work: Work, shipment_id: UUID, *, eta: date | None, signed_by: str, location: str | None
) -> tuple[Scan, ScanResult]:
    """The scan the simulated carrier reports next for the shipment, recorded like any other."""
    if not isinstance(work.gateway, SimulatedCarrier):
        raise NotFound("the simulated carrier (it is not in use)")
    shipment = await work.shipments.get(shipment_id)
    if shipment is None:
        raise NotFound("shipment", shipment_id)
    if shipment.tracking_no is None:
        raise Conflict("no tracking number yet", state=shipment.status)
    scan = work.gateway.next_scan(
        shipment.carrier,
        shipment.tracking_no,
        shipment.status.value,
        work.now,
        location=location,
        signed_by=signed_by,
        eta=eta,
    )
    if scan is None:
        raise Conflict("shipment has no next scan", state=shipment.status)
    return scan, await record_scan(work, scan, ScanSource.SIMULATOR)
