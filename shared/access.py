"""Every HTTP route says who may call it; a route that says nothing cannot be served.

A route takes the verified caller as a parameter::

    @router.post("/orders/{order_id}/approve", response_model=OrderView)
    async def approve(order_id: UUID, request: Request,
                      actor: Actor = Depends(allow(Role.SALES_MANAGER, Role.GENERAL_MANAGER))):

or, when it does not need the caller, declares it on the decorator
(``dependencies=[Depends(allow(*STAFF))]``). ``allow()`` with no role is refused: a route open to
anyone says so with ``public()`` (health, metrics). ``check_declared(app)`` runs when the app is
built and refuses to build one with an undeclared route: nothing is open by default.

Anonymous callers get 401; a signed-in caller without one of the roles gets 403 naming them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth import Actor, TokenVerifier
from shared.errors import Forbidden, Unauthenticated

_bearer = HTTPBearer(auto_error=False, description="A token from the identity provider")


class Declaration:
    """What a route says about who may call it."""

    public: bool = False

    def __init__(self, roles: Iterable[str] = ()) -> None:
        self.roles = frozenset(str(r) for r in roles)

    def __repr__(self) -> str:
        return "public()" if self.public else f"allow({', '.join(sorted(self.roles))})"


class Allow(Declaration):
    """Only callers holding one of ``roles``: 401 without a valid token, 403 without the role."""

    def __init__(self, roles: Iterable[str]) -> None:
        super().__init__(roles)
        if not self.roles:
            raise ValueError("a route must name at least one role, or be declared public()")

    async def __call__(
        self,
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        verifier: TokenVerifier | None = getattr(request.app.state, "verifier", None)
        if verifier is None:
            raise Unauthenticated("this service has no identity provider configured")
        if credentials is None:
            raise Unauthenticated("sign in first: send 'Authorization: Bearer <token>'")
        actor = await verifier.verify(credentials.credentials)
        if not actor.has_any(self.roles):
            needed = ", ".join(sorted(self.roles))
            raise Forbidden(f"this needs one of the roles: {needed}", roles=self.roles)
        request.state.actor = actor
        return actor


class Public(Declaration):
    """Anyone, signed in or not."""

    public = True

    async def __call__(self) -> Actor:
        return ANONYMOUS


ANONYMOUS = Actor(subject="anonymous", name="anonymous", roles=frozenset())


def allow(*roles: str | Iterable[str]) -> Allow:
    """The roles that may call a route: ``allow(Role.FINANCE)``, ``allow(*STAFF)``."""
    flat: list[str] = []
    for role in roles:
        flat.extend([role] if isinstance(role, str) else [str(r) for r in role])
    return Allow(flat)


def public() -> Public:
    """A route anyone may call (health, metrics, the clock): said on purpose, never by default."""
    return Public()


def api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """Every API route of the app, with the dependencies its routers add."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


def declaration(route: RouteContext | APIRoute) -> Declaration | None:
    """The route's declaration, wherever in its dependencies (or its router's) it was made."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        if isinstance(dependant.call, Declaration):
            return dependant.call
        pending.extend(dependant.dependencies)
    return None


def check_declared(app: FastAPI) -> None:
    """Refuse to serve an app with a route that does not say who may call it; show each
    route's roles in the OpenAPI document (``x-roles``)."""
    missing = []
    for context in api_routes(app):
        declared = declaration(context)
        if declared is None:
            missing.append(f"{sorted(context.methods or [])} {context.path}")
            continue
        roles = ["public"] if declared.public else sorted(declared.roles)
        # The route and the copy its router made when included both feed the OpenAPI document.
        targets: list[Any] = [context.original_route, context._route_context]
        for target in targets:
            if target is not None:
                target.openapi_extra = {**(target.openapi_extra or {}), "x-roles": roles}
    if missing:
        raise RuntimeError(f"routes without a role declaration: {', '.join(missing)}")
