"""The session in the person's cookies, and the middleware that keeps it.

Cookies (all HttpOnly, SameSite=Strict, Secure over HTTPS): the access token, the refresh token,
a session id (what the CSRF token is made from) and the chosen language. The middleware

- refreshes the access token shortly before it expires (``Sessions.current``) and hands the new
  tokens back, or drops the cookies when the provider ends the session;
- passes the access token on as the request's bearer token, so the routes' role declarations
  (``shared.access``) check it like any service does;
- gives a visitor without one a session id, and a new one at each sign-in and sign-out;
- writes what a route decided (signed in, signed out) into cookies.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.console.adapters.identity import Tokens
from services.console.domain.i18n import LOCALES

ACCESS = "orderflow_access"
REFRESH = "orderflow_refresh"
SID = "orderflow_sid"
LANG = "orderflow_lang"
_YEAR_S = 365 * 24 * 3600


def signed_in(request: Request, tokens: Tokens) -> None:
    """Tell the middleware to set the session's cookies on this answer."""
    request.state.session = ("signed_in", tokens)


def signed_out(request: Request) -> None:
    request.state.session = ("signed_out", None)


class SessionCookies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/static/", "/health/")):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state: dict[str, Any] = scope.setdefault("state", {})
        wiring = request.app.state.wiring
        sid = request.cookies.get(SID)
        state["sid"] = sid or _new_sid()
        lang = request.query_params.get("lang")
        if lang in LOCALES:
            state["lang"] = lang
        current = await wiring.sessions.current(
            request.cookies.get(ACCESS), request.cookies.get(REFRESH)
        )
        state["refresh_token"] = current.refresh_token  # the one to revoke at sign-out
        if current.access_token and "authorization" not in request.headers:
            scope["headers"] = [
                *scope["headers"],
                (b"authorization", f"Bearer {current.access_token}".encode()),
            ]
        secure = _secure(request)
        max_age = wiring.settings.session_max_age_s

        async def with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookies = Response()
                decided = state.get("session")
                if decided and decided[0] == "signed_in":
                    _set_session(cookies, decided[1], _new_sid(), secure, max_age)
                elif decided or current.ended:
                    _clear_session(cookies, secure)
                else:
                    if current.renewed:
                        _set_tokens(cookies, current.renewed, secure, max_age)
                    if not sid:
                        _set(cookies, SID, state["sid"], None, secure)
                if "lang" in state:
                    _set(cookies, LANG, state["lang"], _YEAR_S, secure)
                headers = MutableHeaders(scope=message)
                for name, value in cookies.raw_headers:
                    if name == b"set-cookie":
                        headers.append("set-cookie", value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, with_cookies)


def _new_sid() -> str:
    return secrets.token_urlsafe(32)


def _secure(request: Request) -> bool:
    configured = request.app.state.settings.cookie_secure
    return bool(configured) if configured is not None else request.url.scheme == "https"


def _set(response: Response, name: str, value: str, max_age: int | None, secure: bool) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", secure=secure, httponly=True, samesite="strict"
    )


def _set_tokens(response: Response, tokens: Tokens, secure: bool, max_age: int) -> None:
    _set(response, ACCESS, tokens.access_token, tokens.expires_in or max_age, secure)
    if tokens.refresh_token:
        _set(response, REFRESH, tokens.refresh_token, tokens.refresh_expires_in or max_age, secure)


def _set_session(response: Response, tokens: Tokens, sid: str, secure: bool, max_age: int) -> None:
    """A new session id at sign-in: one fixed by someone else beforehand is worth nothing."""
    _set_tokens(response, tokens, secure, max_age)
    _set(response, SID, sid, max_age, secure)


def _clear_session(response: Response, secure: bool) -> None:
    for name in (ACCESS, REFRESH, SID):
        response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="strict")
