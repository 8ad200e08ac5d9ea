"""The HTTP side of a service: FastAPI app whose lifespan starts and stops the runtime.

``create_app`` installs what every service shares: problem-details answers for every refusal
(``shared.problems``), the token check behind every route's role declaration
(``shared.access``; an app with an undeclared route is not built), health and metrics, the clock,
the queue list for operators and the audit trail (``GET /audit``).

A route that changes something runs its use case in ``transaction(request, actor)``: one unit of
work acting as the verified caller, committed when the block ends, with the request recorded in
the audit trail in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from contracts.roles import STAFF, Role
from shared import audit, problems
from shared.access import allow, check_declared, public
from shared.auth import Actor
from shared.body_limit import BodyLimit
from shared.clock import AnchoredClock
from shared.health import health_router
from shared.http_timing import RequestTiming
from shared.uow import UnitOfWork

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SEE_WHAT_WAS_SENT = (Role.AUDITOR, Role.OPERATOR, Role.GENERAL_MANAGER)


def create_app(
    runtime: ServiceRuntime, routers: Sequence[APIRouter] = (), *, manage_runtime: bool = True
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if manage_runtime:
            await runtime.start()
        try:
            yield
        finally:
            if manage_runtime:
                await runtime.stop()

    app = FastAPI(
        title=f"Orderflow {runtime.settings.service_name}",
        version="1.0.0",
        lifespan=lifespan,
        responses=problems.PROBLEM_RESPONSES,
    )
    problems.install(app)
    app.add_middleware(
        BodyLimit,
        limit=runtime.settings.http_max_body_bytes,
        larger=runtime.settings.http_larger_bodies,
    )
    app.add_middleware(
        RequestTiming,
        latency=runtime.metrics.http_latency,
        slow_s=runtime.settings.slow_request_s,
    )
    app.include_router(health_router(runtime.readiness, runtime.metrics))
    app.include_router(_clock_router(runtime))
    app.include_router(_queues_router(runtime))
    app.include_router(_audit_router(runtime))
    for router in routers:
        app.include_router(router)
    app.state.runtime = runtime
    app.state.verifier = runtime.verifier
    check_declared(app)
    return app


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


@asynccontextmanager
async def transaction(
    request: Request, actor: Actor, *, correlation_id: str | None = None
) -> AsyncIterator[UnitOfWork]:
    """One unit of work for a request, acting as ``actor``; commits when the block ends.

    A request that may change something (not GET) is written to the audit trail with the
    route, the path parameters and the body as sent, in the same transaction."""
    async with runtime_of(request).new_uow(actor=actor, correlation_id=correlation_id) as uow:
        if request.method not in _SAFE_METHODS:
            uow.audit_entry = await _audit_entry(request)
        yield uow
        await uow.commit()


@asynccontextmanager
async def use_case(
    request: Request, actor: Actor, *, correlation_id: str | None = None
) -> AsyncIterator[Any]:
    """``transaction``, handing over the service's use-case context instead of the bare unit of
    work; a service wraps this with its own type (``work(request, actor) -> Work``)."""
    async with transaction(request, actor, correlation_id=correlation_id) as uow:
        yield runtime_of(request).contexts(uow)


async def _audit_entry(request: Request) -> audit.Entry:
    route = request.scope.get("route")
    template = route.path if isinstance(route, APIRoute) else request.url.path
    change: dict[str, Any] = {"path": dict(request.path_params)}
    if request.query_params:
        change["query"] = dict(request.query_params)
    body = await request.body()
    if body:
        try:
            change["body"] = json.loads(body)
        except ValueError:
            change["body_bytes"] = len(body)
    return audit.Entry("http", f"{request.method} {template}", request.url.path, change)


class ClockView(BaseModel):
    """The service's time: simulated (start, origin, speed) or the system clock."""

    now: datetime
    simulated: bool
    start: datetime | None = None
    origin: datetime | None = None
    speed: float | None = None


def _clock_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/clock", response_model=ClockView, dependencies=[Depends(public())])
    async def clock() -> ClockView:
        """The time every deadline is judged by; the simulator's actors live on it too."""
        current = runtime.clock
        if isinstance(current, AnchoredClock):
            return ClockView(
                now=current.now(),
                simulated=True,
                start=current.start,
                origin=current.origin,
                speed=current.speed,
            )
        return ClockView(now=current.now(), simulated=False)

    return router


class QueueView(BaseModel):
    queue: str
    dead_letter_queue: str


def _queues_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        "/ops/queues",
        response_model=list[QueueView],
        dependencies=[Depends(allow(Role.OPERATOR, Role.AUDITOR))],
    )
    async def queues() -> list[QueueView]:
        """The queues this service consumes, each with its dead-letter queue."""
        return [
            QueueView(queue=r.queue, dead_letter_queue=runtime.topology.dead_letter_queue(r.queue))
            for r in runtime.routes
        ]

    return router


class AuditActor(BaseModel):
    name: str
    subject: str
    roles: list[str]
    kind: Literal["person", "system"]


class AuditEntryView(BaseModel):
    """One step somebody took: who (as the token or the broker login said), when (the
    server's time), through which door, and what they sent."""

    id: int
    recorded_at: datetime
    actor: AuditActor
    channel: Literal["http", "command"]
    action: str
    subject: str
    correlation_ids: list[str]
    change: dict[str, Any] | None = Field(
        description="What was sent, as sent: shown to auditors, operators and the general"
        " manager only, since it may hold a customer's personal data"
    )


def _audit_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["audit"])

    @router.get("/audit", response_model=list[AuditEntryView])
    async def audit_trail(
        caller: Annotated[Actor, Depends(allow(*STAFF))],
        order: str | None = Query(
            default=None, max_length=100, description="An order or complaint id, or a path"
        ),
        limit: int = Query(default=200, ge=1, le=1000),
    ) -> list[AuditEntryView]:
        """Who did what: every state-changing request and command, oldest first for one
        order, newest first otherwise."""
        async with runtime.new_uow() as uow:
            rows = await audit.entries(uow.session, order, limit)
        full = caller.has_any(_SEE_WHAT_WAS_SENT)
        return [
            AuditEntryView(
                id=r["id"],
                recorded_at=r["recorded_at"],
                actor=AuditActor(
                    name=r["actor"],
                    subject=r["actor_subject"],
                    roles=list(r["actor_roles"]),
                    kind=r["actor_kind"],
                ),
                channel=r["channel"],
                action=r["action"],
                subject=r["subject"],
                correlation_ids=list(r["correlation_ids"]),
                change=r["change"] if full else None,
            )
            for r in rows
        ]

    return router
