"""Signing in and out: ``/token`` (password and refresh grants), ``/revoke``, ``/userinfo``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from services.identity.app import signin
from services.identity.domain.errors import InvalidRequest, UnsupportedGrantType
from services.identity.entrypoints.http.deps import Anyone, SignedIn, provider_of
from services.identity.entrypoints.http.forms import form_body, read_form
from services.identity.entrypoints.http.schemas import (
    OAuthErrorView,
    RevokeForm,
    TokenForm,
    TokenView,
    UserInfo,
)

router = APIRouter(tags=["sign-in"])
_OAUTH_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": OAuthErrorView, "description": "RFC 6749 error"},
    401: {"model": OAuthErrorView, "description": "Client authentication attempted"},
}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/token",
    response_model=TokenView,
    dependencies=[Anyone],
    responses=_OAUTH_ERRORS,
    openapi_extra=form_body(TokenForm),
)
async def token(request: Request, response: Response) -> TokenView:
    """Sign in with a username and password, or exchange a refresh token for a new pair."""
    form = await read_form(request, TokenForm)
    provider = provider_of(request)
    if form.grant_type == "password":
        if not form.username or form.password is None:
            raise InvalidRequest("the password grant needs username and password")
        tokens = await signin.sign_in(provider, form.username, form.password, form.client_id)
    elif form.grant_type == "refresh_token":
        if not form.refresh_token:
            raise InvalidRequest("the refresh_token grant needs refresh_token")
        tokens = await signin.refresh(provider, form.refresh_token, form.client_id)
    else:
        raise UnsupportedGrantType("grant_type must be password or refresh_token")
    response.headers.update(NO_STORE)
    return TokenView(
        access_token=tokens.access_token,
        expires_in=tokens.expires_in,
        refresh_token=tokens.refresh_token,
    )


@router.post(
    "/revoke",
    response_model=None,
    status_code=200,
    dependencies=[Anyone],
    responses=_OAUTH_ERRORS,
    openapi_extra=form_body(RevokeForm),
)
async def revoke(request: Request) -> Response:
    """Sign out: the refresh token's sign-in ends. 200 whether or not the token was known."""
    form = await read_form(request, RevokeForm)
    await signin.revoke(provider_of(request), form.token)
    return Response(status_code=200, headers=NO_STORE)


@router.get("/userinfo", response_model=UserInfo)
async def userinfo(request: Request, actor: SignedIn) -> UserInfo:
    user = await signin.user_of(provider_of(request), actor)
    return UserInfo(
        sub=str(user.user_id),
        preferred_username=user.username,
        name=user.name,
        roles=list(user.roles),
        locale=user.locale,
    )
