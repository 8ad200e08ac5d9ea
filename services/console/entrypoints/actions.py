"""Actions from the pages: forwarded, as the signed-in person, to the one service that decides;
its refusal (a problem body) comes back as it is and the page shows its ``detail``.

Only the actions the pages offer (``domain.permissions.ACTIONS``) may be reached. The console
checks the person is staff; the service checks the role for the step, and the people (four
eyes). Dead-letter replay and timeline rebuilds are the operator's and ask for confirmation.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.console.app import operations
from services.console.domain.forms import unflatten
from services.console.domain.permissions import forwarded
from services.console.entrypoints.auth import ActionAnswer
from services.console.entrypoints.deps import Operator, Staff, console_for
from services.console.entrypoints.web import problem, translator_for

router = APIRouter(tags=["actions"])


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    queue: str = Field(min_length=1, max_length=255)
    message_id: str | None = Field(default=None, max_length=255)
    confirm: bool = Field(default=False, description="False: say what would be replayed")


class RebuildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: bool = Field(default=False, description="False: ask first")


@router.post("/act/dead-letters/replay", response_model=ActionAnswer)
async def replay_dead_letters(
    body: ReplayIn, request: Request, actor: Operator
) -> ActionAnswer | JSONResponse:
    """Back to the queue they died in: one message, or the whole dead-letter queue; the first
    call says how many and asks, the confirmed one replays."""
    console = console_for(request, actor)
    outcome = await operations.replay(console, body.queue, body.message_id, body.confirm)
    if outcome.refused:
        return problem(404, "not-found", outcome.message, field=outcome.refused)
    return ActionAnswer(
        ok=outcome.done,
        message=outcome.message if outcome.done else "",
        confirm=None if outcome.done else outcome.message,
    )


@router.post("/act/timelines/rebuild", response_model=ActionAnswer)
async def rebuild_timelines(body: RebuildIn, request: Request, actor: Operator) -> ActionAnswer:
    t = translator_for(request)
    if not body.confirm:
        return ActionAnswer(ok=False, confirm=t("rebuild.confirm"))
    summary = await operations.rebuild_timelines(console_for(request, actor))
    return ActionAnswer(ok=True, message=t("rebuild.done", summary=summary))


@router.post("/act/{service}/{path:path}", response_model=ActionAnswer)
async def act(service: str, path: str, request: Request, actor: Staff) -> Any:
    t = translator_for(request)
    if forwarded(service, path) is None:
        return problem(404, "not-found", t("action.unknown", what=f"{service} {path}"))
    try:
        fields = await request.json()
    except ValueError:
        fields = None
    if not isinstance(fields, dict):
        return problem(422, "invalid", "body: expected a JSON object of form fields", field="body")
    result = await console_for(request, actor).services.request(
        service, "POST", f"/{path}", json=unflatten(fields)
    )
    return ActionAnswer(ok=True, message=_done(path, result), redirect=_next(path, result))


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
