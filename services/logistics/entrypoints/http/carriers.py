"""Carrier services (where each goes, what it takes, how fast, at what rate) and the rule's
choice for a shipment."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from services.logistics.app import carriers, queries
from services.logistics.domain.carriers import ShipmentNeeds
from services.logistics.entrypoints.http.deps import Dispatcher, Reader, work
from services.logistics.entrypoints.http.schemas import (
    CarrierServiceIn,
    CarrierServicePatch,
    CarrierServiceView,
    QuoteIn,
    QuoteView,
)

router = APIRouter(tags=["carriers"])


@router.get("/carriers", response_model=list[CarrierServiceView])
async def list_carriers(request: Request, actor: Reader) -> list[CarrierServiceView]:
    async with work(request, actor) as w:
        rows = await queries.carrier_services(w)
    return [CarrierServiceView.model_validate(r) for r in rows]


@router.post("/carriers", status_code=201, response_model=CarrierServiceView)
async def create_carrier(
    body: CarrierServiceIn, request: Request, actor: Dispatcher
) -> CarrierServiceView:
    """A new service level of a carrier; 409 when that carrier already has it."""
    async with work(request, actor) as w:
        row = await carriers.add_service(w, body.model_dump())
    return CarrierServiceView.model_validate(row)


@router.patch("/carriers/{service_id}", response_model=CarrierServiceView)
async def update_carrier(
    service_id: UUID, body: CarrierServicePatch, request: Request, actor: Dispatcher
) -> CarrierServiceView:
    """Switch a service on or off, or change where it goes, what it takes and its rates."""
    async with work(request, actor) as w:
        row = await carriers.update_service(w, service_id, body.model_dump(exclude_none=True))
    return CarrierServiceView.model_validate(row)


@router.post("/carriers/quote", response_model=QuoteView)
async def quote(body: QuoteIn, request: Request, actor: Reader) -> QuoteView:
    """Which service the rule would choose for this shipment, why, and the alternatives.
    Nothing is booked."""
    needs = ShipmentNeeds(body.country, body.region, body.weight_kg, body.promised_date, body.rush)
    async with work(request, actor) as w:
        return QuoteView.of(await carriers.choose(w, needs))
