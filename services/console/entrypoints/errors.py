"""Refusals as a person meets them: a page visit without a session goes to the login page, a
refused page shows why, and a refused action answers with a problem body (RFC 9457) whose
``detail`` the page shows next to the form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.console.adapters.services import ServiceError
from services.console.entrypoints.web import page, problem, translator_for
from shared.errors import Forbidden, Refusal, Unauthenticated
from shared.problems import MEDIA_TYPE, of_refusal, problem_response

_PAGE_STATUSES = {403, 404, 409, 422}


def install(app: FastAPI) -> None:
    app.add_exception_handler(Refusal, on_refusal)  # type: ignore[arg-type]
    app.add_exception_handler(ServiceError, on_service_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]


def wants_page(request: Request) -> bool:
    return request.method in ("GET", "HEAD")


def error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", {"status": status, "message": message}, status=status)


async def on_refusal(request: Request, exc: Refusal) -> Response:
    body = of_refusal(exc)
    if isinstance(exc, Forbidden):
        body.detail = f"{translator_for(request)('guard.forbidden')}: {exc.detail}"
    if not wants_page(request):
        return problem_response(body)
    if isinstance(exc, Unauthenticated):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return error_page(request, exc.http_status, body.detail)


async def on_service_error(request: Request, exc: ServiceError) -> Response:
    if wants_page(request):
        status = exc.status if exc.status in _PAGE_STATUSES else 502
        return error_page(request, status, exc.message)
    if exc.problem is not None and exc.status < 500 and "detail" in exc.problem:
        # The service's own problem body, passed on as it is.
        content = json.dumps(exc.problem, ensure_ascii=False).encode()
        return Response(content=content, status_code=exc.status, media_type=MEDIA_TYPE)
    return problem(502, "bad-gateway", exc.message)


async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
    reasons = [f"{field_path(e.get('loc', ()))}: {e['msg']}" for e in exc.errors()]
    detail = "; ".join(reasons) or "invalid input"
    if wants_page(request):
        return error_page(request, 422, detail)
    first = exc.errors()[0] if exc.errors() else {}
    return problem(422, "invalid", detail, field=field_path(first.get("loc", ())))


async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if wants_page(request):
        return error_page(request, exc.status_code, detail)
    return problem(exc.status_code, "http-error", detail)


def field_path(loc: Sequence[Any]) -> str:
    """``("query", "created_from")`` -> ``created_from``: the name the person typed into."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path"):
        parts = parts[1:]
    return ".".join(parts) or "body"
