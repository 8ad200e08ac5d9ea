"""A person's session: signed in with the provider, kept alive by refreshing, ended by revoking.

The access token (short-lived) and the refresh token live in the person's cookies; the console
keeps no session store. Before an access token gets within ``margin_s`` of expiring, the next
request refreshes it. Requests arriving together with the same refresh token (a page and its
live sections, several tabs) share one refresh: the provider rotates refresh tokens, so a second
use of the old one would be refused.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import structlog

from services.console.adapters.identity import (
    IdentityClient,
    IdentityUnavailable,
    SignInRefused,
    Tokens,
)
from services.console.domain.security import needs_refresh
from shared.auth import Actor, TokenVerifier

log = structlog.get_logger("orderflow.console.session")

# A request sent with the old cookies just after a refresh gets the same new tokens.
_SHARED_REFRESH_S = 30.0


@dataclass(frozen=True)
class SessionState:
    access_token: str | None
    refresh_token: str | None
    renewed: Tokens | None = None  # new tokens to hand back in cookies
    ended: bool = False  # the provider refused the refresh: the cookies go


def claims_of(token: str | None) -> dict[str, Any]:
    """A token's claims unchecked: only to schedule its refresh or pick a language. Who the
    person is comes from ``TokenVerifier`` alone."""
    if not token:
        return {}
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    return claims if isinstance(claims, dict) else {}


class Sessions:
    def __init__(
        self,
        identity: IdentityClient,
        verifier: TokenVerifier,
        margin_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._identity, self._verifier = identity, verifier
        self._margin_s, self._clock = margin_s, clock
        self._inflight: dict[str, asyncio.Future[Tokens]] = {}
        self._recent: dict[str, tuple[float, Tokens]] = {}

    async def sign_in(self, username: str, password: str) -> tuple[Tokens, Actor]:
        """The password grant; the token is checked as every request's will be, so a provider
        whose tokens the console does not accept fails here, not on the next page."""
        tokens = await self._identity.password(username, password)
        actor = await self._verifier.verify(tokens.access_token)
        log.info("signed_in", actor=actor.name, roles=sorted(actor.roles))
        return tokens, actor

    async def current(self, access: str | None, refresh: str | None) -> SessionState:
        now = self._clock()
        expires = claims_of(access).get("exp") if access else None
        expiry = float(expires) if isinstance(expires, int | float) else None
        if not refresh or not needs_refresh(expiry, now, self._margin_s):
            return SessionState(access, refresh)
        try:
            tokens = await self._refresh(refresh)
        except SignInRefused as exc:
            log.info("session_ended", reason=str(exc))
            return SessionState(None, None, ended=True)
        except IdentityUnavailable as exc:
            # A brief outage of the provider signs nobody out: the token in hand serves while
            # it is valid, the next request tries again.
            log.warning("refresh_failed", error=str(exc))
            return SessionState(access, refresh)
        return SessionState(tokens.access_token, tokens.refresh_token, renewed=tokens)

    async def sign_out(self, refresh: str | None) -> None:
        if not refresh:
            return
        try:
            await self._identity.revoke(refresh)
        except IdentityUnavailable as exc:
            log.warning("revoke_failed", error=str(exc))

    async def _refresh(self, refresh: str) -> Tokens:
        key = hashlib.sha256(refresh.encode()).hexdigest()
        now = self._clock()
        self._recent = {k: v for k, v in self._recent.items() if now - v[0] < _SHARED_REFRESH_S}
        if key in self._recent:
            return self._recent[key][1]
        if key in self._inflight:
            return await asyncio.shield(self._inflight[key])
        future: asyncio.Future[Tokens] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            tokens = await self._identity.refresh(refresh)
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no warning when nobody else waited
            raise
        finally:
            self._inflight.pop(key, None)
        future.set_result(tokens)
        self._recent[key] = (self._clock(), tokens)
        return tokens
