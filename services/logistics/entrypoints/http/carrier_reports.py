"""What the carrier reports: scans (the delivery with its signed note), collection, tracking
numbers; and the archived proof of delivery."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from contracts.status.logistics import ScanSource
from services.logistics.app import queries, tracking
from services.logistics.domain.shipment import Scan
from services.logistics.entrypoints.http.deps import CarrierReport, ProofReader, work
from services.logistics.entrypoints.http.schemas import (
    CollectionIn,
    ProofView,
    ScanIn,
    ScanResultView,
    ShipmentView,
    TrackingNoIn,
)

router = APIRouter(tags=["carrier reports and proof of delivery"])


@router.post("/carrier-webhook/scans", status_code=202, response_model=ScanResultView)
async def carrier_webhook(body: ScanIn, request: Request, actor: CarrierReport) -> ScanResultView:
    """Carriers push tracking scans here; a repeated scan id is acknowledged and dropped.

    Only the carrier's system or a dispatcher posts a scan, a delivery above all; the signatory
    is as the carrier declares, who posted it and when it was recorded are ours."""
    document = body.document()
    scan = Scan(**body.model_dump(exclude={"proof_document_base64", "proof_content_type"}))
    attachment = (
        tracking.Document(document, body.proof_content_type) if document is not None else None
    )
    async with work(request, actor) as w:
        result = await tracking.record_scan(w, scan, ScanSource.WEBHOOK, attachment)
    return ScanResultView.model_validate(vars(result))


@router.post("/shipments/{shipment_id}/collection", response_model=ShipmentView)
async def confirm_collection(
    shipment_id: UUID, body: CollectionIn, request: Request, actor: CarrierReport
) -> ShipmentView:
    """The carrier confirms it collected the goods, with or without a tracking number."""
    async with work(request, actor) as w:
        shipment = await tracking.confirm_collection(w, shipment_id, body.tracking_no)
        return ShipmentView.of(shipment, w.now)


@router.post("/shipments/{shipment_id}/tracking-number", response_model=ShipmentView)
async def assign_tracking_number(
    shipment_id: UUID, body: TrackingNoIn, request: Request, actor: CarrierReport
) -> ShipmentView:
    async with work(request, actor) as w:
        shipment = await tracking.assign_tracking_number(w, shipment_id, body.tracking_no)
        return ShipmentView.of(shipment, w.now)


@router.get("/shipments/{shipment_id}/proof", response_model=ProofView)
async def proof_of_delivery(shipment_id: UUID, request: Request, actor: ProofReader) -> ProofView:
    async with work(request, actor) as w:
        return ProofView.of(await queries.proof(w, shipment_id))


@router.get(
    "/shipments/{shipment_id}/proof/document",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/*": {}}}},
)
async def proof_document(shipment_id: UUID, request: Request, actor: ProofReader) -> Response:
    """The scan or photo of the signed delivery note, as the carrier sent it: a download, never
    rendered in the page that asked for it."""
    async with work(request, actor) as w:
        content, media_type = await queries.proof_document(w, shipment_id)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    name = f"proof-{shipment_id}.{extension.get(media_type, 'bin')}"
    return Response(
        content,
        media_type=media_type if media_type in extension else "application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
