"""Sign-in and sign-out: the login page, the password grant done server-side, revocation."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.console.adapters.identity import IdentityUnavailable, SignInRefused
from services.console.domain.security import safe_next
from services.console.entrypoints.cookies import signed_in, signed_out
from services.console.entrypoints.deps import wiring_of
from services.console.entrypoints.web import page, problem, translator_for
from shared.access import public
from shared.errors import Unauthenticated

router = APIRouter(tags=["session"])
Anyone = [Depends(public())]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)
    next: str | None = Field(default=None, max_length=2000)


class ActionAnswer(BaseModel):
    """What a page's action form is told: done (and where to go next), or a question to
    confirm first."""

    ok: bool
    message: str = ""
    redirect: str | None = None
    confirm: str | None = None


@router.get("/login", response_class=HTMLResponse, dependencies=Anyone)
async def login_page(request: Request, next: str = "") -> HTMLResponse:
    return page(request, "login.html", {"next": safe_next(next)})


@router.post("/login", response_model=ActionAnswer, dependencies=Anyone)
async def login(body: LoginIn, request: Request) -> ActionAnswer | JSONResponse:
    """The password goes to the identity provider and nowhere else; the tokens it answers with
    go into HttpOnly cookies, out of reach of any script."""
    t = translator_for(request)
    try:
        tokens, _actor = await wiring_of(request).sessions.sign_in(body.username, body.password)
    except SignInRefused as exc:
        detail = t("login.refused") + (f" ({exc.description})" if exc.description else "")
        return problem(401, "sign-in-refused", detail)
    except IdentityUnavailable:
        return problem(503, "identity-unavailable", t("login.unavailable"))
    except Unauthenticated as exc:
        return problem(502, "token-not-accepted", t("login.not_accepted", reason=exc.detail))
    signed_in(request, tokens)
    return ActionAnswer(ok=True, message=t("login.done"), redirect=safe_next(body.next))


@router.post("/logout", response_model=ActionAnswer, dependencies=Anyone)
async def logout(request: Request) -> ActionAnswer:
    """Revoke the refresh token at the provider and drop every session cookie. Open to anyone
    (an expired session must be able to leave) but, as every POST, only from this console."""
    await wiring_of(request).sessions.sign_out(request.state.refresh_token)
    signed_out(request)
    return ActionAnswer(ok=True, message=translator_for(request)("logout.done"), redirect="/login")
