"""The operations console as its own process: ``python -m services.console`` (port 8000).

People sign in on its login page against the identity provider; every page and action then
calls the services with the person's own token. Every route declares who may call it
(``shared.access``), checked when the app is built.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from services.console.adapters.identity import IdentityClient, IdentityEndpoints
from services.console.adapters.services import ServiceClients
from services.console.app.context import Wiring
from services.console.app.permissions import RoleDirectory
from services.console.app.session import Sessions
from services.console.domain.permissions import PUBLIC, RouteRoles
from services.console.entrypoints import actions, auth, errors, http
from services.console.entrypoints.cookies import SessionCookies
from services.console.entrypoints.guards import HostCheck, PostGuard, SecurityHeaders
from services.console.settings import ConsoleSettings
from shared.access import api_routes, check_declared, declaration, public
from shared.auth import TokenVerifier
from shared.logging import configure_logging

STATIC = Path(__file__).resolve().parent / "static"


class ConsoleApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        """The security headers outside everything, even the answer to an unexpected crash."""
        return SecurityHeaders(super().build_middleware_stack())


def build_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()
    verifier = TokenVerifier(settings.auth_config())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.wiring = wire(settings, verifier, own_route_roles(app))
        try:
            yield
        finally:
            await app.state.wiring.close()

    app = ConsoleApp(title="Orderflow console", version="1.0.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.verifier = verifier  # what shared.access checks tokens with
    app.state.templates = http.templates()
    app.state.csrf_key = settings.session_secret.get_secret_value().encode() or secrets.token_bytes(
        32
    )
    errors.install(app)
    app.add_middleware(SessionCookies)
    app.add_middleware(
        PostGuard, csrf_key=app.state.csrf_key, trusted_origins=settings.trusted_origins
    )
    app.add_middleware(HostCheck, allowed_hosts=settings.allowed_hosts)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/health/live", include_in_schema=False, dependencies=[Depends(public())])
    async def live() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/health/ready", include_in_schema=False, dependencies=[Depends(public())])
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    app.include_router(auth.router)
    app.include_router(actions.router)
    app.include_router(http.router)
    check_declared(app)
    return app


def wire(settings: ConsoleSettings, verifier: TokenVerifier, own: RouteRoles) -> Wiring:
    clients = ServiceClients(settings.service_urls(), settings.request_timeout_s)
    identity = IdentityClient(
        IdentityEndpoints(
            issuer=settings.auth_issuer,
            token_url=settings.auth_token_url,
            revocation_url=settings.auth_revocation_url,
            client_id=settings.auth_client_id,
            client_secret=settings.auth_client_secret.get_secret_value(),
        ),
        settings.request_timeout_s,
    )
    return Wiring(
        settings=settings,
        clients=clients,
        identity=identity,
        sessions=Sessions(identity, verifier, settings.refresh_margin_s),
        directory=RoleDirectory(clients, own, settings.route_roles_ttl_s),
    )


def own_route_roles(app: FastAPI) -> RouteRoles:
    """The console's own routes as the role table its pages consult (replay, rebuild)."""
    found: list[tuple[str, str, list[str]]] = []
    for route in api_routes(app):
        declared = declaration(route)
        if declared is not None:
            roles = [PUBLIC] if declared.public else sorted(declared.roles)
            found.extend((m, str(route.path), roles) for m in route.methods or ())
    return RouteRoles.of(found)


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
