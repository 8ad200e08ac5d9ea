"""The HTTP side of a service: FastAPI app whose lifespan starts and stops the runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from shared import http_errors
from shared.health import health_router

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
    app.include_router(health_router(runtime.readiness, runtime.metrics))
    for router in routers:
        app.include_router(router)
    app.state.runtime = runtime
    return app
