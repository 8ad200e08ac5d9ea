"""The console's pages: server-rendered HTML over the five services' APIs, as the signed-in
person sees them."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from contracts.enums import CustomerClass
from services.console.app import operations, orders
from services.console.domain.board import BOARD_STAGES, Filters
from services.console.entrypoints.deps import OpsReader, Staff, console_for
from services.console.entrypoints.web import TEMPLATES, page
from shared.access import public
from shared.errors import Invalid

router = APIRouter()


def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=str(TEMPLATES))
    found.env.globals["new_ref"] = lambda prefix: f"{prefix}-{uuid.uuid4().hex[:8]}"
    found.env.globals["stages"] = BOARD_STAGES
    return found


def _day(field: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(field, f"expected a date like 2026-12-01, got {value!r}") from exc


@router.get("/", include_in_schema=False, dependencies=[Depends(public())])
async def home() -> RedirectResponse:
    return RedirectResponse("/orders")


@router.get("/orders", response_class=HTMLResponse)
async def board_page(
    request: Request,
    actor: Staff,
    customer: str = "",
    customer_class: str = "",
    created_from: str | None = None,
    created_to: str | None = None,
) -> HTMLResponse:
    known = {c.value for c in CustomerClass}
    if customer_class and customer_class not in known:
        raise Invalid("customer_class", f"one of {', '.join(sorted(known))}")
    filters = Filters(
        customer.strip(),
        customer_class,
        _day("created_from", created_from),
        _day("created_to", created_to),
    )
    data = await orders.board(console_for(request, actor), filters)
    return page(request, "board.html", {**data, "classes": sorted(known)})


@router.get("/orders/{ref}", response_class=HTMLResponse)
async def order_page(ref: str, request: Request, actor: Staff) -> HTMLResponse:
    return page(request, "order.html", await orders.order_page(console_for(request, actor), ref))


@router.get("/after-sales", response_class=HTMLResponse)
async def after_sales_page(request: Request, actor: Staff) -> HTMLResponse:
    data = await operations.after_sales(console_for(request, actor))
    return page(request, "after_sales.html", data)


@router.get("/planning", response_class=HTMLResponse)
async def planning_page(request: Request, actor: Staff, product_code: str = "") -> HTMLResponse:
    data = await operations.planning(console_for(request, actor), product_code.strip() or None)
    return page(request, "planning.html", data)


@router.get("/kpis", response_class=HTMLResponse)
async def kpi_page(request: Request, actor: Staff, period: str = "") -> HTMLResponse:
    data = await operations.kpis(console_for(request, actor), period or None)
    return page(request, "kpis.html", data)


@router.get("/kpis/after-sales.csv", response_class=Response)
async def after_sales_csv(request: Request, actor: Staff, quarter: str) -> Response:
    text = await console_for(request, actor).services.get(
        "customer_service", "/reports/after-sales", quarter=quarter, format="csv"
    )
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="after-sales-{quarter}.csv"'},
    )


@router.get("/dead-letters", response_class=HTMLResponse)
async def dead_letter_page(request: Request, actor: OpsReader) -> HTMLResponse:
    data = await operations.dead_letters(console_for(request, actor))
    return page(request, "dead_letters.html", data)
