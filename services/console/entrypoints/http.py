"""The console's pages: server-rendered HTML over the five services' APIs."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from contracts.enums import CustomerClass
from services.console.adapters.services import ServiceError
from services.console.app import operations, orders
from services.console.app.context import Console
from services.console.domain.board import BOARD_STAGES, Filters

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

router = APIRouter()


def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=str(TEMPLATES))
    found.env.globals["new_ref"] = lambda prefix: f"{prefix}-{uuid.uuid4().hex[:8]}"
    found.env.globals["stages"] = BOARD_STAGES
    return found


def _console(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    views: Jinja2Templates = request.app.state.templates
    console = _console(request)
    return views.TemplateResponse(
        request,
        name,
        {**context, "refresh_s": console.settings.refresh_s, "path": request.url.path},
        status_code=status,
    )


def _day(field: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(
            422, f"{field}: expected a date like 2026-12-01, got {value!r}"
        ) from exc


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    return RedirectResponse("/orders")


@router.get("/orders", response_class=HTMLResponse)
async def board_page(
    request: Request,
    customer: str = "",
    customer_class: str = "",
    created_from: str | None = None,
    created_to: str | None = None,
) -> HTMLResponse:
    known = {c.value for c in CustomerClass}
    if customer_class and customer_class not in known:
        raise HTTPException(422, f"customer_class: one of {', '.join(sorted(known))}")
    filters = Filters(
        customer.strip(),
        customer_class,
        _day("created_from", created_from),
        _day("created_to", created_to),
    )
    data = await orders.board(_console(request), filters)
    return _page(request, "board.html", {**data, "classes": sorted(known)})


@router.get("/orders/{ref}", response_class=HTMLResponse)
async def order_page(ref: str, request: Request) -> HTMLResponse:
    return _page(request, "order.html", await orders.order_page(_console(request), ref))


@router.get("/after-sales", response_class=HTMLResponse)
async def after_sales_page(request: Request) -> HTMLResponse:
    return _page(request, "after_sales.html", await operations.after_sales(_console(request)))


@router.get("/planning", response_class=HTMLResponse)
async def planning_page(request: Request, product_code: str = "") -> HTMLResponse:
    data = await operations.planning(_console(request), product_code.strip() or None)
    return _page(request, "planning.html", data)


@router.get("/kpis", response_class=HTMLResponse)
async def kpi_page(request: Request, period: str = "") -> HTMLResponse:
    return _page(request, "kpis.html", await operations.kpis(_console(request), period or None))


@router.get("/kpis/after-sales.csv")
async def after_sales_csv(request: Request, quarter: str) -> Response:
    text = await _console(request).services.get(
        "customer_service", "/reports/after-sales", quarter=quarter, format="csv"
    )
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="after-sales-{quarter}.csv"'},
    )


@router.get("/dead-letters", response_class=HTMLResponse)
async def dead_letter_page(request: Request) -> HTMLResponse:
    return _page(request, "dead_letters.html", await operations.dead_letters(_console(request)))


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return _page(request, "error.html", {"status": status, "message": message}, status=status)


async def on_service_error(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, ServiceError)
    status = exc.status if exc.status in (404, 409, 422) else 502
    return error_page(request, status, exc.message)


async def on_http_error(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, HTTPException)
    return error_page(request, exc.status_code, str(exc.detail))
