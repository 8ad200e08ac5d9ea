"""A service's process entry point: build, log, serve HTTP, stop gracefully on SIGTERM.

uvicorn owns the signals; the FastAPI lifespan starts the runtime (migrations, topology,
consumers, relay, timers) and, on SIGTERM, stops consuming, finishes in-flight handlers and
flushes the outbox before the process exits.
"""

from __future__ import annotations

from collections.abc import Sequence

import uvicorn
from fastapi import APIRouter

from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import ServiceRuntime


def serve(runtime: ServiceRuntime, routers: Sequence[APIRouter] = ()) -> None:
    settings = runtime.settings
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    app = create_app(runtime, routers)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.graceful_timeout_s) + 5,
        timeout_keep_alive=settings.http_keep_alive_s,
    )
