"""What people look up: carrier services, shipments, their tracking and proofs of delivery.

Reads go through here like every other use case, so the HTTP layer never touches a repository.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from contracts.status.logistics import ShipmentState
from services.logistics.app.unit import Work
from services.logistics.domain.shipment import Shipment
from shared.errors import NotFound


async def carrier_services(work: Work) -> list[dict[str, Any]]:
    return await work.carriers.rows()


async def shipments(
    work: Work, order_id: UUID | None, status: ShipmentState | None
) -> list[Shipment]:
    """An order's shipments, or the latest ones (in a status)."""
    if order_id is not None:
        return await work.shipments.for_order(order_id)
    return await work.shipments.list(status)


async def shipment(work: Work, shipment_id: UUID) -> Shipment:
    found = await work.shipments.get(shipment_id)
    if found is None:
        raise NotFound("shipment", shipment_id)
    return found


async def tracking(work: Work, shipment_id: UUID) -> list[dict[str, Any]]:
    await shipment(work, shipment_id)
    return await work.scans.history(shipment_id)


async def proof(work: Work, shipment_id: UUID) -> dict[str, Any]:
    found = await work.proofs.for_shipment(shipment_id)
    if found is None:
        raise NotFound("proof of delivery for shipment", shipment_id)
    return found


async def proof_document(work: Work, shipment_id: UUID) -> tuple[bytes, str]:
    """The scan of the signed delivery note and its media type."""
    found = await proof(work, shipment_id)
    if found["document"] is None:
        raise NotFound("signed delivery note for shipment", shipment_id)
    return found["document"], found["content_type"] or "application/octet-stream"
