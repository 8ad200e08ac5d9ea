"""The HTTP side of a service: FastAPI app whose lifespan starts and stops the runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from shared import http_errors
from shared.clock import AnchoredClock
from shared.health import health_router
from shared.http_timing import RequestTiming

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime


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
    )
    http_errors.install(app)
    app.add_middleware(
        RequestTiming,
        latency=runtime.metrics.http_latency,
        slow_s=runtime.settings.slow_request_s,
    )
    app.include_router(health_router(runtime.readiness, runtime.metrics))
    app.include_router(_clock_router(runtime))
    app.include_router(_queues_router(runtime))
    for router in routers:
        app.include_router(router)
    app.state.runtime = runtime
    return app


def _clock_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/clock")
    async def clock() -> dict[str, object]:
        """The service's time: simulated (start, origin, speed) or the system clock."""
        current = runtime.clock
        body: dict[str, object] = {"now": current.now().isoformat(), "simulated": False}
        if isinstance(current, AnchoredClock):
            body |= {
                "simulated": True,
                "start": current.start.isoformat(),
                "origin": current.origin.isoformat(),
                "speed": current.speed,
            }
        return body

    return router


def _queues_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/ops/queues")
    async def queues() -> list[dict[str, str]]:
        """The queues this service consumes, each with its dead-letter queue (for operators)."""
        return [
            {"queue": r.queue, "dead_letter_queue": runtime.topology.dead_letter_queue(r.queue)}
            for r in runtime.routes
        ]

    return router
