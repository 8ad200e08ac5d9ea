"""Every refusal over HTTP is one body: RFC 9457 problem details (``application/problem+json``).

``{type, title, status, detail}`` plus, where they apply, ``field`` (the input at fault, as a
dotted path: ``lines.0.quantity``), ``state`` (the status the thing was in, for a 409), ``roles``
(the roles that would have been allowed, for a 403) and ``errors`` (every field at fault, for a
422). The same body for the vocabulary of ``shared.errors``, for request validation, for unknown
routes and for what request validation cannot see:

- A NUL character in any JSON string: PostgreSQL cannot store it. Refused before the handler runs,
  with the path of the offending field.
- A number so large that arithmetic on it overflows (``decimal.InvalidOperation``,
  ``OverflowError``).
- A value the database refuses as data (SQLSTATE class 22: a number too large for its column,
  text too long, an out-of-range date): the transaction has rolled back, so nothing is stored.
- The database unreachable or restarting (refused connections, too many clients, SQLSTATE classes
  08 and 57P): 503 with ``Retry-After``; nothing was stored, and the same request can be sent
  again.

Validation errors name the field and the rule, never the value sent (it may be personal data).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from decimal import InvalidOperation
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared import db
from shared.errors import Invalid, Refusal, Unauthenticated, Unavailable

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:orderflow:problem:"


class FieldError(BaseModel):
    field: str
    reason: str


class Problem(BaseModel):
    """What went wrong, in one shape for every service (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    state: str | None = None
    roles: list[str] | None = None
    errors: list[FieldError] | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": title}
    for status, title in (
        (401, "Sign-in required"),
        (403, "Not allowed for your role"),
        (404, "Not found"),
        (409, "Not allowed in the current state"),
        (422, "Invalid input"),
        (503, "Temporarily unavailable"),
    )
}


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def of_refusal(exc: Refusal) -> Problem:
    return Problem(
        type=TYPE_PREFIX + exc.slug,
        title=exc.title,
        status=exc.http_status,
        detail=exc.detail,
        field=exc.field,
        state=exc.state,
        roles=getattr(exc, "roles", None) or None,
    )


def install(app: FastAPI) -> None:
    app.middleware("http")(_refuse_nul_characters)
    app.add_exception_handler(Refusal, _refusal)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_exception)  # type: ignore[arg-type]
    app.add_exception_handler(DBAPIError, _data_error)  # type: ignore[arg-type]
    app.add_exception_handler(OSError, _unavailable)
    app.add_exception_handler(InvalidOperation, _number_out_of_range)
    app.add_exception_handler(OverflowError, _number_out_of_range)


async def _refusal(request: Request, exc: Refusal) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
    if isinstance(exc, Unavailable):
        headers = {"Retry-After": "1"}
    return problem_response(of_refusal(exc), headers)


def field_path(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _validation(request: Request, exc: RequestValidationError) -> Response:
    errors = [FieldError(field=field_path(e.get("loc", ())), reason=e["msg"]) for e in exc.errors()]
    first = errors[0] if errors else FieldError(field="body", reason="invalid")
    return problem_response(
        Problem(
            type=TYPE_PREFIX + Invalid.slug,
            title=Invalid.title,
            status=422,
            detail="; ".join(f"{e.field}: {e.reason}" for e in errors) or "invalid input",
            field=first.field,
            errors=errors,
        )
    )


async def _http_exception(request: Request, exc: StarletteHTTPException) -> Response:
    slug = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
        exc.status_code, "http-error"
    )
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    return problem_response(
        Problem(type=TYPE_PREFIX + slug, title=detail, status=exc.status_code, detail=detail),
        dict(exc.headers or {}),
    )


async def _refuse_nul_characters(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    if request.method in {"POST", "PUT", "PATCH"} and b"\\u0000" in (body := await request.body()):
        try:
            path = _nul_path(json.loads(body), [])
        except ValueError:
            path = None
        if path is not None:
            return _unprocessable(field_path(path), "NUL characters are not allowed")
    return await call_next(request)


def _nul_path(value: Any, path: list[Any]) -> list[Any] | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return [*path, key]
        found = _nul_path(item, [*path, key])
        if found is not None:
            return found
    return None


async def _data_error(request: Request, exc: DBAPIError) -> Response:
    cause = getattr(exc.orig, "__cause__", None) or exc.orig
    sqlstate = str(getattr(cause, "sqlstate", "") or "")
    if db.unavailable(exc):
        return await _unavailable(request, exc)
    if not sqlstate.startswith("22"):
        raise exc
    column = getattr(cause, "column_name", None)
    message = str(getattr(cause, "message", None) or cause).splitlines()[0]
    return _unprocessable(str(column) if column else "body", message)


async def _unavailable(request: Request, exc: Exception) -> Response:
    return problem_response(
        Problem(
            type=TYPE_PREFIX + Unavailable.slug,
            title=Unavailable.title,
            status=503,
            detail="the database is not reachable just now; nothing was stored, send it again",
        ),
        {"Retry-After": "1"},
    )


async def _number_out_of_range(request: Request, exc: Exception) -> Response:
    return _unprocessable("body", "a number is too large for this service to calculate with")


def _unprocessable(field: str, reason: str) -> JSONResponse:
    return problem_response(
        Problem(
            type=TYPE_PREFIX + Invalid.slug,
            title=Invalid.title,
            status=422,
            detail=f"{field}: {reason}",
            field=field,
            errors=[FieldError(field=field, reason=reason)],
        )
    )
