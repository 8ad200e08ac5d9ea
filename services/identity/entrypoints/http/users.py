"""The operator keeps the users: add, list, disable and enable, set a password."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request

from services.identity.app import users
from services.identity.domain.users import Kind
from services.identity.entrypoints.http.deps import Operator, provider_of
from services.identity.entrypoints.http.schemas import PasswordIn, UserIn, UserView

router = APIRouter(prefix="/users", tags=["users"])
Username = Path(min_length=1, max_length=64)


@router.post("", response_model=UserView, status_code=201)
async def add_user(body: UserIn, request: Request, actor: Operator) -> UserView:
    user = await users.add_user(
        provider_of(request),
        body.username,
        body.password,
        [r.value for r in body.roles],
        name=body.name,
        locale=body.locale,
        kind=Kind(body.kind),
        by=actor,
    )
    return UserView.of(user)


@router.get("", response_model=list[UserView])
async def list_users(request: Request, actor: Operator) -> list[UserView]:
    return [UserView.of(u) for u in await users.list_users(provider_of(request))]


@router.post("/{username}/disable", response_model=UserView)
async def disable_user(request: Request, actor: Operator, username: str = Username) -> UserView:
    """No more sign-ins or refreshes; access tokens already out expire within their lifetime."""
    return UserView.of(await users.disable_user(provider_of(request), username, by=actor))


@router.post("/{username}/enable", response_model=UserView)
async def enable_user(request: Request, actor: Operator, username: str = Username) -> UserView:
    return UserView.of(await users.enable_user(provider_of(request), username, by=actor))


@router.post("/{username}/password", response_model=UserView)
async def set_password(
    body: PasswordIn, request: Request, actor: Operator, username: str = Username
) -> UserView:
    """A new password; the user's sign-ins end."""
    user = await users.set_password(provider_of(request), username, body.password, by=actor)
    return UserView.of(user)
