"""What every request meets before a route: the host check, the forged-request guard on every
POST, and the security headers on every answer.

Written as plain ASGI middleware so that nothing, a refusal included, leaves without the
headers, and a refused POST never reaches a route (or the session's refresh).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.console.domain.i18n import Translator
from services.console.domain.security import UNSAFE_METHODS, csrf_matches, is_json, same_origin
from services.console.entrypoints.cookies import SID
from services.console.entrypoints.web import problem, translator_for

CSP = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none';"
    " object-src 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
CSRF_HEADER = "x-csrf-token"


class SecurityHeaders:
    """On every answer; pages and API answers are never stored (they carry people's data),
    the static script and style may be."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in _REPLACED]
                headers.extend(SECURITY_HEADERS)
                if not cacheable:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


_REPLACED = {name for name, _ in SECURITY_HEADERS} | {b"cache-control"}


class HostCheck:
    """Starlette's TrustedHost check for every path but the health checks, which orchestrators
    call by address."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.checked = TrustedHostMiddleware(app, allowed_hosts=list(allowed_hosts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/health/"):
            await self.app(scope, receive, send)
        else:
            await self.checked(scope, receive, send)


class PostGuard:
    """Every state-changing request: from the console's own origin, JSON, with the session's
    CSRF token. A cross-site form (``text/plain`` included) is refused before any route runs."""

    def __init__(self, app: ASGIApp, csrf_key: bytes, trusted_origins: Sequence[str]) -> None:
        self.app, self.csrf_key, self.trusted = app, csrf_key, tuple(trusted_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self.refusal(request, translator_for(request))
        if refusal is None:
            await self.app(scope, receive, send)
        else:
            status, slug, detail = refusal
            await problem(status, slug, detail)(scope, receive, send)

    def refusal(self, request: Request, t: Translator) -> tuple[int, str, str] | None:
        headers: Headers = request.headers
        own = f"{request.url.scheme}://{headers.get('host', '')}"
        if not same_origin(headers.get("origin"), headers.get("referer"), own, self.trusted):
            return 403, "cross-origin", t("guard.origin")
        if not is_json(headers.get("content-type")):
            return 415, "unsupported-media-type", t("guard.json")
        if not csrf_matches(self.csrf_key, request.cookies.get(SID), headers.get(CSRF_HEADER)):
            return 403, "csrf", t("guard.csrf")
        return None
