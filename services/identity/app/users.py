"""Users, as the operator (HTTP) or whoever runs the machine (``orderflow users``) keeps them.

Disabling a user or changing their password ends their sign-ins: their refresh tokens are
revoked at once, and the access tokens they hold expire within ``access_token_ttl_s``.
"""

from __future__ import annotations

from collections.abc import Iterable

import structlog

from services.identity.app.unit import Provider, Work
from services.identity.domain.errors import UnknownUser, UsernameTaken
from services.identity.domain.passwords import check_password
from services.identity.domain.users import Kind, User, name_of, username_of
from shared.auth import Actor

log = structlog.get_logger("orderflow.identity")


async def add_user(
    provider: Provider,
    username: str,
    password: str,
    roles: Iterable[str],
    *,
    name: str | None = None,
    locale: str = "zh-CN",
    kind: Kind = Kind.PERSON,
    by: Actor | None = None,
) -> User:
    checked = username_of(username)
    name_of(name, checked)
    check_password(password, checked)
    hashed = await provider.hasher.hash(password)
    async with provider.work() as w:
        user = User.new(checked, name, roles, locale, kind, hashed, w.now)
        if not await w.users.add(user):
            raise UsernameTaken(checked)
    log.info("user_added", username=checked, roles=list(user.roles), by=_who(by))
    return user


async def provision(
    provider: Provider,
    username: str,
    password: str,
    roles: Iterable[str],
    *,
    name: str | None = None,
    locale: str = "zh-CN",
    kind: Kind = Kind.PERSON,
) -> User:
    """Make the user exist as given, enabled, with this password, whether or not it did (the
    demo signs its cast in with passwords of its own run)."""
    checked = username_of(username)
    check_password(password, checked)
    hashed = await provider.hasher.hash(password)
    async with provider.work() as w:
        user = await w.users.by_username(checked, lock=True)
        if user is None:
            user = User.new(checked, name, roles, locale, kind, hashed, w.now)
            await w.users.add(user)
            return user
        user.reassign(name, roles, locale, w.now)
        user.change_password(hashed, w.now)
        user.enable(w.now)
        await w.users.save(user)
        await w.refresh_tokens.revoke_user(user.user_id, w.now)
    return user


async def list_users(provider: Provider) -> list[User]:
    async with provider.work() as w:
        return await w.users.all()


async def disable_user(provider: Provider, username: str, by: Actor | None = None) -> User:
    async with provider.work() as w:
        user = await _user(w, username)
        user.disable(w.now)
        await w.users.save(user)
        await w.refresh_tokens.revoke_user(user.user_id, w.now)
    log.info("user_disabled", username=user.username, by=_who(by))
    return user


async def enable_user(provider: Provider, username: str, by: Actor | None = None) -> User:
    async with provider.work() as w:
        user = await _user(w, username)
        user.enable(w.now)
        await w.users.save(user)
    log.info("user_enabled", username=user.username, by=_who(by))
    return user


async def set_password(
    provider: Provider, username: str, password: str, by: Actor | None = None
) -> User:
    checked = username_of(username)
    check_password(password, checked)
    hashed = await provider.hasher.hash(password)
    async with provider.work() as w:
        user = await _user(w, checked)
        user.change_password(hashed, w.now)
        await w.users.save(user)
        await w.refresh_tokens.revoke_user(user.user_id, w.now)
    log.info("password_set", username=user.username, by=_who(by))
    return user


async def rotate_signing_key(provider: Provider) -> str:
    """A new signing key from now on; the old one stays published until its tokens expire."""
    async with provider.work() as w:
        kid = await provider.keys.rotate(w.keys, w.now)
    log.info("signing_key_rotated", kid=kid)
    return kid


async def _user(w: Work, username: str) -> User:
    user = await w.users.by_username(username_of(username), lock=True)
    if user is None:
        raise UnknownUser(username)
    return user


def _who(actor: Actor | None) -> str:
    return "command line" if actor is None else f"{actor.name} ({actor.subject})"
