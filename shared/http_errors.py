"""Bad input answered with a 4xx, never a 5xx, for what request validation cannot see.

- A NUL character in any JSON string: PostgreSQL cannot store it. Refused before the handler runs,
  with the path of the offending field.
- A number so large that arithmetic on it overflows (``decimal.InvalidOperation``,
  ``OverflowError``): the models accept any Decimal, the sums and roundings cannot.
- A value the database refuses as data (SQLSTATE class 22: a number too large for its column,
  text too long, an out-of-range date): the transaction has rolled back, so nothing is stored; the
  client gets a 422 with the database's reason and the column where PostgreSQL names one.

Not bad input, but said as plainly: while the database is unreachable or restarting (refused
connections, too many clients, SQLSTATE classes 08 and 57P), a request is answered 503 with
``Retry-After``; nothing was stored, and the same request can be sent again.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from decimal import InvalidOperation
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from shared import db


def install(app: FastAPI) -> None:
    app.middleware("http")(_refuse_nul_characters)
    app.add_exception_handler(DBAPIError, _data_error)  # type: ignore[arg-type]
    app.add_exception_handler(OSError, _unavailable)
    app.add_exception_handler(InvalidOperation, _number_out_of_range)
    app.add_exception_handler(OverflowError, _number_out_of_range)


async def _refuse_nul_characters(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    if request.method in {"POST", "PUT", "PATCH"} and b"\\u0000" in (body := await request.body()):
        try:
            path = _nul_path(json.loads(body), ["body"])
        except ValueError:
            path = None
        if path is not None:
            return _unprocessable(path, "NUL characters are not allowed", "string_nul")
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
    detail = getattr(cause, "detail", None)
    reason = f"{message} ({detail})" if detail else message
    return _unprocessable(["body", column] if column else ["body"], reason, "database_data")


async def _unavailable(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        status_code=503,
        headers={"Retry-After": "1"},
        content={"detail": f"the database is not reachable just now: {str(exc)[:200]}"},
    )


async def _number_out_of_range(request: Request, exc: Exception) -> Response:
    return _unprocessable(
        ["body"], "a number is too large for this service to calculate with", "number_range"
    )


def _unprocessable(loc: list[Any], msg: str, kind: str) -> JSONResponse:
    return JSONResponse(
        status_code=422, content={"detail": [{"loc": loc, "msg": msg, "type": kind}]}
    )
