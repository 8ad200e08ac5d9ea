"""The built-in carrier simulator: served only where ``simulator_routes`` is switched on (the
demo), and then only to operators."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from services.logistics.app import simulator
from services.logistics.entrypoints.http.deps import Operator, work
from services.logistics.entrypoints.http.schemas import NextScanIn, NextScanView

router = APIRouter(tags=["carrier simulator"])


@router.post("/simulator/shipments/{shipment_id}/next-scan", response_model=NextScanView)
async def simulate_next_scan(
    shipment_id: UUID, body: NextScanIn, request: Request, actor: Operator
) -> NextScanView:
    """Have the built-in simulated carrier report this shipment's next scan."""
    async with work(request, actor) as w:
        scan, result = await simulator.next_scan(
            w, shipment_id, eta=body.eta, signed_by=body.signed_by, location=body.location
        )
    return NextScanView(scan_id=scan.scan_id, status=result.status, applied=result.applied)
