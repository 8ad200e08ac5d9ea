"""Actions from the pages: forwarded to the one service that decides, its refusal shown as is.

Only the paths below may be reached; the service validates the body and answers 4xx naming the
field, which the page shows next to the form.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.console.adapters import deadletters
from services.console.adapters.services import ServiceError
from services.console.app.context import Console
from services.console.app.operations import known_dead_letter_queues
from services.console.domain.forms import unflatten

ALLOWED: dict[str, tuple[re.Pattern[str], ...]] = {
    "sales": tuple(
        re.compile(p)
        for p in (
            r"^orders$",
            r"^orders/[\w-]+/(approve|reject|signature|payments|amendments|cancel|info)$",
        )
    ),
    "customer_service": tuple(
        re.compile(p)
        for p in (
            r"^complaints$",
            r"^complaints/[\w-]+/(assign|escalate|resolve|notes)$",
            r"^remedy-plans/[\w-]+/(plan|consent)$",
        )
    ),
}

router = APIRouter(tags=["actions"])


def _console(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def _refused(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "status": status, "error": message}, status_code=status)


class ReplayIn(BaseModel):
    queue: str = Field(min_length=1)
    message_id: str | None = None


@router.post("/act/dead-letters/replay")
async def replay_dead_letters(body: ReplayIn, request: Request) -> JSONResponse:
    """Back to the queue they died in: one message, or the whole dead-letter queue."""
    console = _console(request)
    known = {q["dlq"] for q in await known_dead_letter_queues(console)}
    if body.queue not in known:
        return _refused(404, f"queue: {body.queue} is no service's dead-letter queue")
    count = await deadletters.replay(console.settings.amqp_url, body.queue, body.message_id)
    if body.message_id and count == 0:
        return _refused(404, f"message_id: {body.message_id} is not in {body.queue}")
    return JSONResponse({"ok": True, "message": f"replayed {count} message(s) from {body.queue}"})


@router.post("/act/{service}/{path:path}")
async def act(service: str, path: str, request: Request) -> JSONResponse:
    patterns = ALLOWED.get(service, ())
    if not any(p.match(path) for p in patterns):
        return _refused(404, f"no such action: {service} {path}")
    try:
        fields = await request.json()
    except ValueError:
        return _refused(422, "body: expected a JSON object of form fields")
    if not isinstance(fields, dict):
        return _refused(422, "body: expected a JSON object of form fields")
    try:
        result = await _console(request).services.request(
            service, "POST", f"/{path}", json=unflatten(fields)
        )
    except ServiceError as exc:
        return _refused(exc.status if exc.status < 500 else 502, exc.message)
    return JSONResponse(
        {"ok": True, "message": _done(path, result), "redirect": _next(path, result)}
    )


def _done(path: str, result: Any) -> str:
    action = path.rsplit("/", 1)[-1].replace("-", " ")
    if isinstance(result, dict) and result.get("status"):
        number = result.get("order_no") or result.get("complaint_no") or ""
        return f"{action}: done; {number} now {result['status']}".replace(" ;", ";")
    return f"{action}: done"


def _next(path: str, result: Any) -> str | None:
    if path == "orders" and isinstance(result, dict) and result.get("order_id"):
        return f"/orders/{result['order_id']}"
    return None
