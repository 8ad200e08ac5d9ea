"""Helpers every console route shares: the person's language, pages, problem answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from services.console.app.session import claims_of
from services.console.domain.i18n import DEFAULT, Translator, choose_locale
from services.console.domain.security import csrf_token
from services.console.entrypoints.cookies import ACCESS, LANG
from shared.access import ANONYMOUS
from shared.auth import Actor
from shared.problems import MEDIA_TYPE, TYPE_PREFIX, Problem

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def translator_for(request: Request) -> Translator:
    """The language chosen on the page, else the account's, else the browser's, else the
    console's default."""
    chosen = request.scope.get("state", {}).get("lang") or request.cookies.get(LANG)
    account = _claims(request).get("locale")
    settings = getattr(request.app.state, "settings", None)
    default = getattr(settings, "default_locale", DEFAULT)
    locale = choose_locale(
        chosen, str(account) if account else None, request.headers.get("accept-language"), default
    )
    return Translator(locale)


def _claims(request: Request) -> dict[str, Any]:
    """The person's token as this request carries it (refreshed on the way in, or as sent),
    unchecked: for the language and the name shown, never for who may do what."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return claims_of(token if scheme.lower() == "bearer" else request.cookies.get(ACCESS))


def problem(status: int, slug: str, detail: str, title: str = "", **extra: Any) -> JSONResponse:
    """The console's own refusals, in the services' shape (RFC 9457)."""
    body = Problem(
        type=TYPE_PREFIX + slug, title=title or detail, status=status, detail=detail, **extra
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=MEDIA_TYPE
    )


def actor_of(request: Request) -> Actor:
    """The verified person (``shared.access`` keeps it on the request), or anonymous."""
    found = getattr(request.state, "actor", None)
    return found if isinstance(found, Actor) else ANONYMOUS


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    views: Jinja2Templates = request.app.state.templates
    settings = request.app.state.settings
    t = translator_for(request)
    actor = actor_of(request)
    # The name to greet by: the account's display name (the audit trails keep the username).
    shown = _claims(request).get("name") or actor.name
    session_id = request.scope.get("state", {}).get("sid", "")
    return views.TemplateResponse(
        request,
        name,
        {
            **context,
            "t": t,
            "locale": t.locale,
            "actor": actor if actor is not ANONYMOUS else None,
            "display_name": str(shown),
            "csrf": csrf_token(request.app.state.csrf_key, session_id) if session_id else "",
            "refresh_s": settings.refresh_s,
            "path": request.url.path,
        },
        status_code=status,
    )
