"""The operations console as its own process: ``python -m services.console`` (port 8000)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.console.adapters.services import ServiceClients, ServiceError
from services.console.app.context import Console
from services.console.entrypoints import actions, http
from services.console.settings import ConsoleSettings
from shared.logging import configure_logging

STATIC = Path(__file__).resolve().parent / "static"


def build_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        clients = ServiceClients(settings.service_urls(), settings.request_timeout_s)
        app.state.console = Console(settings, clients)
        try:
            yield
        finally:
            await clients.close()

    app = FastAPI(title="Orderflow console", version="1.0.0", lifespan=lifespan)
    app.state.templates = http.templates()
    app.add_exception_handler(ServiceError, http.on_service_error)
    app.add_exception_handler(StarletteHTTPException, http.on_http_error)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/health/ready", include_in_schema=False)
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    app.include_router(actions.router)
    app.include_router(http.router)
    return app


def main() -> None:
    settings = ConsoleSettings()
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    uvicorn.run(
        build_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
    )
