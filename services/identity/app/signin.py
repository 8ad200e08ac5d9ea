"""Signing in, refreshing, signing out, and who a token belongs to (OAuth 2.0 / OIDC).

A refusal that must leave a trace (a wrong password counted, a reused refresh token ending its
sign-in) is raised after the unit that stored the trace has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.identity.adapters.crypto import new_refresh_token, token_hash
from services.identity.app.keys import KeyRing
from services.identity.app.unit import Provider, Work
from services.identity.domain.errors import InvalidGrant, RefreshTokenReused
from services.identity.domain.tokens import RefreshGrant, TokenPolicy, access_claims
from services.identity.domain.users import User
from shared.auth import Actor
from shared.errors import Unauthenticated

WRONG = "wrong username or password / 用户名或密码错误"
DISABLED = "this account is disabled / 该账户已停用"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_in: int
    refresh_token: str


async def sign_in(
    provider: Provider, username: str, password: str, client_id: str | None
) -> Tokens:
    """The password grant. Wrong passwords are counted per username (known or not); past the
    free ones, the next attempt must wait (``Throttle``), right password or not."""
    name = username.strip().lower()
    async with provider.work() as w:
        failures, last_failed_at = await w.failures.get(name)
        wait = provider.throttle.wait(failures, last_failed_at, w.now)
        user = await w.users.by_username(name)
    if wait.total_seconds() > 0:
        seconds = int(wait.total_seconds()) + 1
        raise InvalidGrant(
            f"too many wrong passwords: try again in {seconds} s"
            f" / 密码错误次数过多,请 {seconds} 秒后再试",
            retry_after_s=seconds,
        )
    right, rehashed = await provider.hasher.verify(password, user.password_hash if user else None)
    keys = await provider.signing_keys()
    tokens: Tokens | None = None
    async with provider.work() as w:
        user = await w.users.by_username(name, lock=True)
        if not right or user is None:
            await w.failures.record(name, w.now)
        elif not user.disabled:
            await w.failures.clear(name)
            if rehashed:
                user.change_password(rehashed, w.now)
                await w.users.save(user)
            tokens = await _issue(w, provider.policy, keys, user, None, client_id)
    if tokens is None:
        raise InvalidGrant(DISABLED if right and user is not None else WRONG)
    return tokens


async def refresh(provider: Provider, refresh_token: str, client_id: str | None) -> Tokens:
    """The refresh grant: the token is spent for a new pair. A token used twice ends its whole
    sign-in (whoever used it first may have stolen it); so does a disabled account."""
    keys = await provider.signing_keys()
    tokens: Tokens | None = None
    async with provider.work() as w:
        grant = await w.refresh_tokens.get(token_hash(refresh_token))
        if grant is None:
            raise InvalidGrant("unknown refresh token; sign in again / 请重新登录")
        user = await w.users.by_id(grant.user_id)
        disabled = user is None or user.disabled
        refusal = grant.refusal(w.now) or (InvalidGrant(DISABLED) if disabled else None)
        if refusal is None and user is not None:
            tokens = await _issue(w, provider.policy, keys, user, grant, client_id)
        elif isinstance(refusal, RefreshTokenReused) or disabled:
            await w.refresh_tokens.revoke_family(grant.family_id, w.now)
    if refusal is not None:
        raise refusal
    assert tokens is not None
    return tokens


async def revoke(provider: Provider, refresh_token: str) -> None:
    """Sign out (RFC 7009): the sign-in this refresh token belongs to ends. An unknown token is
    not an error: the caller is signed out either way."""
    async with provider.work() as w:
        grant = await w.refresh_tokens.get(token_hash(refresh_token))
        if grant is not None:
            await w.refresh_tokens.revoke_family(grant.family_id, w.now)


async def user_of(provider: Provider, actor: Actor) -> User:
    """The signed-in user as the provider knows them now (``/userinfo``)."""
    try:
        user_id = UUID(actor.subject)
    except ValueError:
        raise Unauthenticated("not a user of this issuer") from None
    async with provider.work() as w:
        user = await w.users.by_id(user_id)
    if user is None or user.disabled:
        raise Unauthenticated("this account no longer signs in / 该账户已无法登录")
    return user


async def _issue(
    w: Work,
    policy: TokenPolicy,
    keys: KeyRing,
    user: User,
    spent: RefreshGrant | None,
    client_id: str | None,
) -> Tokens:
    assert keys.current is not None
    token = new_refresh_token()
    if spent is None:
        grant = RefreshGrant.first(token_hash(token), user.user_id, client_id, policy, w.now)
    else:
        grant = spent.rotate(token_hash(token), w.now)
        await w.refresh_tokens.mark_rotated(spent)
    await w.refresh_tokens.add(grant)
    access = keys.current.sign(access_claims(user, policy, w.now))
    return Tokens(access, int(policy.access_ttl.total_seconds()), token)
