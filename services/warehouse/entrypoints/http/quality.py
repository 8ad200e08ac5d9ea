"""QC: inbound inspection of produced lots, and inspection of customer returns."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from contracts.status.warehouse import InspectionStatus
from services.warehouse.app import inbound, queries, returns
from services.warehouse.domain.inspection import ReturnOutcomeLine
from services.warehouse.entrypoints.http.deps import Inspector, Reader, work
from services.warehouse.entrypoints.http.schemas import (
    FailIn,
    InspectionView,
    PassIn,
    ReturnInspectionIn,
    ReturnView,
)

router = APIRouter(tags=["inspections and returns"])


@router.get("/inspections", response_model=list[InspectionView])
async def list_inspections(
    request: Request, actor: Reader, status: Annotated[InspectionStatus | None, Query()] = None
) -> list[InspectionView]:
    async with work(request, actor) as w:
        rows = await queries.inspections(w, status.value if status else None)
    return [InspectionView.model_validate(r) for r in rows]


@router.get("/inspections/{inspection_id}", response_model=InspectionView)
async def get_inspection(inspection_id: UUID, request: Request, actor: Reader) -> InspectionView:
    async with work(request, actor) as w:
        return InspectionView.of(await queries.inspection(w, inspection_id))


@router.post("/inspections/{inspection_id}/pass", response_model=InspectionView)
async def pass_inspection(
    inspection_id: UUID, body: PassIn, request: Request, actor: Inspector
) -> InspectionView:
    """QC passes the lot (000, 001: QC inspects finished goods); it goes into stock."""
    async with work(request, actor) as w:
        return InspectionView.of(await inbound.decide_inspection(w, inspection_id, body.location))


@router.post("/inspections/{inspection_id}/fail", response_model=InspectionView)
async def fail_inspection(
    inspection_id: UUID, body: FailIn, request: Request, actor: Inspector
) -> InspectionView:
    """QC fails the lot, or part of it; what is rejected goes back to production."""
    async with work(request, actor) as w:
        done = await inbound.decide_inspection(
            w,
            inspection_id,
            body.location,
            defect=body.defect,
            disposition=body.disposition,
            quantity_rejected=body.quantity_rejected,
            defect_code=body.defect_code,
        )
    return InspectionView.of(done)


@router.get("/returns/{return_id}", response_model=ReturnView)
async def get_return(return_id: UUID, request: Request, actor: Reader) -> ReturnView:
    async with work(request, actor) as w:
        return ReturnView.of(await queries.goods_return(w, return_id))


@router.post("/returns/{return_id}/inspect", response_model=ReturnView)
async def inspect_return(
    return_id: UUID, body: ReturnInspectionIn, request: Request, actor: Inspector
) -> ReturnView:
    """QC inspects returned goods before they go back into stock or are scrapped (001)."""
    results = [
        ReturnOutcomeLine(x.line_no, x.product_code, x.quantity, x.outcome, x.reason)
        for x in body.items
    ]
    async with work(request, actor) as w:
        return ReturnView.of(await returns.inspect_return(w, return_id, results, body.location))
