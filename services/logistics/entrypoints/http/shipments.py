"""Shipments as dispatch and the other departments see them; dispatch cancels a booking."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from contracts.status.logistics import ShipmentState
from services.logistics.app import queries, tracking
from services.logistics.entrypoints.http.deps import Dispatcher, Reader, work
from services.logistics.entrypoints.http.schemas import CancelIn, ScanView, ShipmentView

router = APIRouter(tags=["shipments"])


@router.get("/shipments", response_model=list[ShipmentView])
async def list_shipments(
    request: Request,
    actor: Reader,
    order_id: UUID | None = None,
    status: ShipmentState | None = None,
) -> list[ShipmentView]:
    """An order's shipments, or the latest hundred (in a status)."""
    async with work(request, actor) as w:
        return [ShipmentView.of(s, w.now) for s in await queries.shipments(w, order_id, status)]


@router.get("/orders/{order_id}/shipments", response_model=list[ShipmentView])
async def shipments_of_order(order_id: UUID, request: Request, actor: Reader) -> list[ShipmentView]:
    async with work(request, actor) as w:
        return [ShipmentView.of(s, w.now) for s in await queries.shipments(w, order_id, None)]


@router.get("/shipments/{shipment_id}", response_model=ShipmentView)
async def get_shipment(shipment_id: UUID, request: Request, actor: Reader) -> ShipmentView:
    async with work(request, actor) as w:
        return ShipmentView.of(await queries.shipment(w, shipment_id), w.now)


@router.get("/shipments/{shipment_id}/tracking", response_model=list[ScanView])
async def tracking_history(shipment_id: UUID, request: Request, actor: Reader) -> list[ScanView]:
    """Every scan received, in the order the carrier made them, applied or not."""
    async with work(request, actor) as w:
        return [ScanView.model_validate(row) for row in await queries.tracking(w, shipment_id)]


@router.post("/shipments/{shipment_id}/cancel", response_model=ShipmentView)
async def cancel(
    shipment_id: UUID, body: CancelIn, request: Request, actor: Dispatcher
) -> ShipmentView:
    """Cancel the booking; 409 with the current status once the carrier has the goods."""
    async with work(request, actor) as w:
        return ShipmentView.of(await tracking.cancel_shipment(w, shipment_id, body.reason), w.now)
