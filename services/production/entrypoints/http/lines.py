"""Lines and their capacity calendar: pieces per business day per family, downtime days."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.production.app import queries, setup
from services.production.entrypoints.http.deps import Planner, Reader, work
from services.production.entrypoints.http.schemas import (
    CodeInPath,
    DowntimeIn,
    LineIn,
    LineSummary,
    LineView,
    RateIn,
)

router = APIRouter(tags=["lines and capacity"])


@router.post("/lines", status_code=201, response_model=LineView)
async def create_line(body: LineIn, request: Request, actor: Planner) -> LineView:
    """Create or update a line with its capacity (pieces per business day) per family."""
    rates = {c.family: c.pieces_per_day for c in body.capacities}
    async with work(request, actor) as w:
        await setup.define_line(w, body.code, body.name, rates)
        return LineView.with_downtime(*await queries.line(w, body.code))


@router.get("/lines", response_model=list[LineSummary])
async def list_lines(request: Request, actor: Reader) -> list[LineSummary]:
    async with work(request, actor) as w:
        return [LineSummary.of(line) for line in await queries.lines(w)]


@router.get("/lines/{code}", response_model=LineView)
async def get_line(code: CodeInPath, request: Request, actor: Reader) -> LineView:
    async with work(request, actor) as w:
        return LineView.with_downtime(*await queries.line(w, code))


@router.put("/lines/{code}/capacities/{family}", response_model=LineView)
async def set_capacity(
    code: CodeInPath, family: CodeInPath, body: RateIn, request: Request, actor: Planner
) -> LineView:
    async with work(request, actor) as w:
        await setup.set_line_rate(w, code, family, body.pieces_per_day)
        return LineView.with_downtime(*await queries.line(w, code))


@router.post("/lines/{code}/downtime", status_code=201, response_model=LineView)
async def add_downtime(
    code: CodeInPath, body: DowntimeIn, request: Request, actor: Planner
) -> LineView:
    """A day the line does not work (maintenance, a holiday of its own): loading skips it."""
    async with work(request, actor) as w:
        await setup.add_downtime(w, code, body.day, body.reason)
        return LineView.with_downtime(*await queries.line(w, code))
