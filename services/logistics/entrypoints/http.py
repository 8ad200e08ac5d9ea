"""HTTP API: carriers and the choice rule, shipments, tracking, proof of delivery, webhook."""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import AwareDatetime, BaseModel, Field

from contracts.enums import ShipmentExceptionKind, ShipmentStatus
from services.logistics.adapters.carriers import SimulatedCarrier
from services.logistics.adapters.repositories import (
    CarrierRepository,
    ProofRepository,
    ScanRepository,
    ShipmentRepository,
)
from services.logistics.app import use_cases
from services.logistics.app.use_cases import InvalidScan, Logistics, NotFound
from services.logistics.domain.carriers import NoCarrierAvailable, ShipmentNeeds
from services.logistics.domain.shipment import IllegalTransition, Scan, Shipment
from shared.uow import UnitOfWork

# --- request and response bodies ------------------------------------------------------------


class CarrierServiceIn(BaseModel):
    code: str = Field(min_length=1, description="Carrier code, e.g. 'SF'.")
    name: str = Field(min_length=1)
    service_level: str = Field(min_length=1, description="e.g. 'express', 'standard'.")
    express: bool = False
    regions: list[str] = Field(
        min_length=1, description="'*', a country code, 'CN:Guangdong', or '!CN' to exclude."
    )
    max_weight_kg: Decimal = Field(gt=0)
    transit_days: int = Field(ge=0, description="Business days from pickup to delivery.")
    base_rate: Decimal = Field(ge=0)
    rate_per_kg: Decimal = Field(ge=0)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    active: bool = True
    tracking_url_template: str | None = None


class CarrierServicePatch(BaseModel):
    active: bool | None = None
    regions: list[str] | None = Field(default=None, min_length=1)
    max_weight_kg: Decimal | None = Field(default=None, gt=0)
    transit_days: int | None = Field(default=None, ge=0)
    base_rate: Decimal | None = Field(default=None, ge=0)
    rate_per_kg: Decimal | None = Field(default=None, ge=0)
    express: bool | None = None


class QuoteIn(BaseModel):
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")
    region: str | None = None
    weight_kg: Decimal = Field(gt=0)
    promised_date: date | None = None
    rush: bool = False


class ScanIn(BaseModel):
    """A carrier's webhook call: one tracking scan, optionally with the signed delivery note."""

    carrier: str = Field(min_length=1)
    tracking_no: str = Field(min_length=1)
    scan_id: str = Field(min_length=1, description="Carrier's unique id of this scan.")
    status: ShipmentStatus
    at: AwareDatetime
    location: str | None = None
    description: str | None = None
    eta: date | None = None
    exception_kind: ShipmentExceptionKind | None = None
    signed_by: str | None = None
    proof_ref: str | None = None
    proof_document_base64: str | None = Field(
        default=None, description="Scan or photo of the signed delivery note."
    )
    proof_content_type: str | None = Field(default="application/pdf")


class CollectionIn(BaseModel):
    tracking_no: str | None = Field(default=None, min_length=1)


class TrackingNoIn(BaseModel):
    tracking_no: str = Field(min_length=1)


class CancelIn(BaseModel):
    reason: str = Field(min_length=1)


class NextScanIn(BaseModel):
    eta: date | None = None
    signed_by: str = "Recipient"
    location: str | None = None


# --- helpers --------------------------------------------------------------------------------


def _deps(request: Request) -> Logistics:
    deps: Logistics = request.app.state.runtime.deps
    return deps


@asynccontextmanager
async def _uow(request: Request) -> AsyncIterator[UnitOfWork]:
    async with request.app.state.runtime.new_uow() as uow:
        try:
            yield uow
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except IllegalTransition as exc:
            raise HTTPException(409, {"message": str(exc), "current_status": exc.status}) from exc
        except InvalidScan as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoCarrierAvailable as exc:
            raise HTTPException(422, str(exc)) from exc


def shipment_view(s: Shipment, now: datetime) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind.value,
        "status": s.status.value,
        "order_id": s.order_id,
        "order_no": s.order_no,
        "return_id": s.return_id,
        "rma_no": s.rma_no,
        "carrier": s.carrier,
        "service_level": s.service_level,
        "choice_reason": s.choice_reason,
        "booking_ref": s.booking_ref,
        "tracking_no": s.tracking_no,
        "tracking_url": s.tracking_url,
        "cost": s.cost,
        "currency": s.currency,
        "total_weight_kg": s.total_weight_kg,
        "package_count": s.package_count,
        "delivery_address": s.address,
        "promised_date": s.promised_date,
        "rush": s.rush,
        "pickup_date": s.pickup_date,
        "eta": s.eta,
        "original_eta": s.original_eta,
        "booked_at": s.booked_at,
        "dispatched_at": s.dispatched_at,
        "shipped_notified_at": s.shipped_notified_at,
        "delivered_at": s.delivered_at,
        "cancelled_at": s.cancelled_at,
        "delivery_due_at": s.delivery_due_at,
        "overdue": s.delivered_at is None
        and s.delivery_due_at is not None
        and s.status.value not in ("cancelled", "returned_to_sender")
        and now >= s.delivery_due_at,
    }


def _carrier_view(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "created_at"}


# --- routes ---------------------------------------------------------------------------------


def build_router() -> APIRouter:
    router = APIRouter(tags=["logistics"])

    @router.get("/carriers")
    async def list_carriers(request: Request) -> list[dict[str, Any]]:
        async with _uow(request) as uow:
            return [_carrier_view(r) for r in await CarrierRepository(uow.session).rows()]

    @router.post("/carriers", status_code=201)
    async def create_carrier(body: CarrierServiceIn, request: Request) -> dict[str, Any]:
        async with _uow(request) as uow:
            repo = CarrierRepository(uow.session)
            new_id = await repo.add(body.model_dump())
            if new_id is None:
                raise HTTPException(
                    409, f"carrier {body.code} already has service level {body.service_level}"
                )
            await uow.commit()
            row = await repo.get(new_id)
        assert row is not None
        return _carrier_view(row)

    @router.patch("/carriers/{service_id}")
    async def update_carrier(
        service_id: UUID, body: CarrierServicePatch, request: Request
    ) -> dict[str, Any]:
        async with _uow(request) as uow:
            repo = CarrierRepository(uow.session)
            changes = body.model_dump(exclude_none=True)
            if changes and not await repo.update(service_id, changes):
                raise HTTPException(404, f"no carrier service {service_id}")
            await uow.commit()
            row = await repo.get(service_id)
        if row is None:
            raise HTTPException(404, f"no carrier service {service_id}")
        return _carrier_view(row)

    @router.post("/carriers/quote")
    async def quote(body: QuoteIn, request: Request) -> dict[str, Any]:
        """Which service the rule would choose for this shipment, why, and the alternatives."""
        needs = ShipmentNeeds(
            body.country, body.region, body.weight_kg, body.promised_date, body.rush
        )
        async with _uow(request) as uow:
            choice = await use_cases.choose(uow, _deps(request), needs)
        return {
            "carrier": choice.service.code,
            "service_level": choice.service.service_level,
            "eta": choice.eta,
            "cost": choice.cost,
            "reason": choice.reason,
            "candidates": [
                {
                    "carrier": c.service.code,
                    "service_level": c.service.service_level,
                    "express": c.service.express,
                    "eta": c.eta,
                    "cost": c.cost,
                }
                for c in choice.candidates
            ],
        }

    @router.get("/shipments")
    async def list_shipments(
        request: Request, order_id: UUID | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        async with _uow(request) as uow:
            repo = ShipmentRepository(uow.session)
            found = await repo.for_order(order_id) if order_id else await repo.list(status)
            return [shipment_view(s, uow.clock.now()) for s in found]

    @router.get("/orders/{order_id}/shipments")
    async def shipments_of_order(order_id: UUID, request: Request) -> list[dict[str, Any]]:
        async with _uow(request) as uow:
            found = await ShipmentRepository(uow.session).for_order(order_id)
            return [shipment_view(s, uow.clock.now()) for s in found]

    @router.get("/shipments/{shipment_id}")
    async def get_shipment(shipment_id: UUID, request: Request) -> dict[str, Any]:
        async with _uow(request) as uow:
            s = await ShipmentRepository(uow.session).get(shipment_id)
            if s is None:
                raise HTTPException(404, f"no shipment {shipment_id}")
            return shipment_view(s, uow.clock.now())

    @router.get("/shipments/{shipment_id}/tracking")
    async def tracking_history(shipment_id: UUID, request: Request) -> list[dict[str, Any]]:
        async with _uow(request) as uow:
            if await ShipmentRepository(uow.session).get(shipment_id) is None:
                raise HTTPException(404, f"no shipment {shipment_id}")
            return await ScanRepository(uow.session).history(shipment_id)

    @router.get("/shipments/{shipment_id}/proof")
    async def proof_of_delivery(shipment_id: UUID, request: Request) -> dict[str, Any]:
        async with _uow(request) as uow:
            proof = await ProofRepository(uow.session).for_shipment(shipment_id)
        if proof is None:
            raise HTTPException(404, f"no proof of delivery for shipment {shipment_id}")
        proof["has_document"] = proof.pop("document") is not None
        return proof

    @router.get("/shipments/{shipment_id}/proof/document")
    async def proof_document(shipment_id: UUID, request: Request) -> Response:
        async with _uow(request) as uow:
            proof = await ProofRepository(uow.session).for_shipment(shipment_id)
        if proof is None or proof["document"] is None:
            raise HTTPException(404, f"no signed delivery note for shipment {shipment_id}")
        return Response(proof["document"], media_type=proof["content_type"])

    @router.post("/carrier-webhook/scans", status_code=202)
    async def carrier_webhook(body: ScanIn, request: Request) -> dict[str, Any]:
        """Carriers push tracking scans here; a repeated scan id is acknowledged and dropped."""
        document = None
        if body.proof_document_base64:
            try:
                document = base64.b64decode(body.proof_document_base64, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise HTTPException(422, "proof_document_base64 is not base64") from exc
        scan = Scan(**body.model_dump(exclude={"proof_document_base64", "proof_content_type"}))
        async with _uow(request) as uow:
            result = await use_cases.record_scan(
                uow,
                _deps(request),
                scan,
                "webhook",
                document=document,
                content_type=body.proof_content_type,
            )
            await uow.commit()
        return {
            "shipment_id": result.shipment_id,
            "duplicate": result.duplicate,
            "applied": result.applied,
            "status": result.status,
        }

    @router.post("/shipments/{shipment_id}/collection")
    async def confirm_collection(
        shipment_id: UUID, body: CollectionIn, request: Request
    ) -> dict[str, Any]:
        """The carrier confirms it collected the goods, with or without a tracking number."""
        async with _uow(request) as uow:
            s = await use_cases.confirm_collection(
                uow, _deps(request), shipment_id, body.tracking_no
            )
            await uow.commit()
            return shipment_view(s, uow.clock.now())

    @router.post("/shipments/{shipment_id}/tracking-number")
    async def assign_tracking_number(
        shipment_id: UUID, body: TrackingNoIn, request: Request
    ) -> dict[str, Any]:
        async with _uow(request) as uow:
            s = await use_cases.assign_tracking_number(
                uow, _deps(request), shipment_id, body.tracking_no
            )
            await uow.commit()
            return shipment_view(s, uow.clock.now())

    @router.post("/shipments/{shipment_id}/cancel")
    async def cancel(shipment_id: UUID, body: CancelIn, request: Request) -> dict[str, Any]:
        """Cancel the booking; 409 with the current status once the carrier has the goods."""
        async with _uow(request) as uow:
            s = await use_cases.cancel_shipment(uow, _deps(request), shipment_id, body.reason)
            await uow.commit()
            return shipment_view(s, uow.clock.now())

    @router.post("/simulator/shipments/{shipment_id}/next-scan")
    async def simulate_next_scan(
        shipment_id: UUID, body: NextScanIn, request: Request
    ) -> dict[str, Any]:
        """Have the built-in simulated carrier report this shipment's next scan."""
        deps = _deps(request)
        if not isinstance(deps.gateway, SimulatedCarrier):
            raise HTTPException(404, "the simulated carrier is not in use")
        async with _uow(request) as uow:
            s = await ShipmentRepository(uow.session).get(shipment_id)
            if s is None:
                raise HTTPException(404, f"no shipment {shipment_id}")
            if s.tracking_no is None:
                raise HTTPException(
                    409, {"message": "no tracking number yet", "current_status": s.status.value}
                )
            scan = deps.gateway.next_scan(
                s.carrier,
                s.tracking_no,
                s.status.value,
                uow.clock.now(),
                location=body.location,
                signed_by=body.signed_by,
                eta=body.eta,
            )
            if scan is None:
                raise HTTPException(
                    409, {"message": "shipment has no next scan", "current_status": s.status.value}
                )
            result = await use_cases.record_scan(uow, deps, scan, "simulator")
            await uow.commit()
        return {"scan_id": scan.scan_id, "status": result.status, "applied": result.applied}

    return router
