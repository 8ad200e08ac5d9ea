"""The identity provider's HTTP API: discovery and keys, sign-in, and the operator's user admin.

It needs no broker, so it is built without a ``ServiceRuntime`` from the kit's pieces that fit:
problem details, role declarations on every route, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from services.identity.app.unit import Provider
from services.identity.domain.errors import OAuthError
from services.identity.entrypoints.http import discovery, tokens, users
from shared import problems
from shared.access import check_declared
from shared.health import health_router
from shared.http_timing import RequestTiming


def create_app(provider: Provider, *, manage: bool = True) -> FastAPI:
    """``manage``: start (migrate, load keys) and stop the provider with the app."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if manage:
            await provider.start()
        try:
            yield
        finally:
            if manage:
                await provider.stop()

    app = FastAPI(
        title="Orderflow identity",
        version="1.0.0",
        lifespan=lifespan,
        responses=problems.PROBLEM_RESPONSES,
    )
    problems.install(app)
    app.add_exception_handler(OAuthError, _oauth_error)  # type: ignore[arg-type]
    app.add_middleware(
        RequestTiming,
        latency=provider.metrics.http_latency,
        slow_s=provider.settings.slow_request_s,
    )
    app.include_router(health_router(provider.readiness, provider.metrics))
    for router in (discovery.router, tokens.router, users.router):
        app.include_router(router)
    app.state.provider = provider
    app.state.verifier = provider  # its own tokens: checked against its own keys
    check_declared(app)
    return app


async def _oauth_error(request: Request, exc: OAuthError) -> Response:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if exc.http_status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="orderflow"'
    if exc.retry_after_s:
        headers["Retry-After"] = str(exc.retry_after_s)
    return JSONResponse(
        {"error": exc.error, "error_description": exc.detail},
        status_code=exc.http_status,
        headers=headers,
    )
