"""What an access token says, how a sign-in's refresh tokens rotate, and how repeated wrong
passwords slow down sign-ins for a username.

Access tokens are short-lived JWTs every service checks on its own (signature, iss, aud, exp);
refresh tokens are opaque, kept here only as hashes, and each is good for one exchange: using it
returns a new one and ends the old (OAuth 2.0 Security BCP, section 4.14). A sign-in (a "family"
of refresh tokens) ends ``refresh_ttl`` after the password was given, however often it refreshes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from services.identity.domain.errors import InvalidGrant, RefreshTokenReused
from services.identity.domain.users import Kind, User


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    audience: str
    access_ttl: timedelta
    refresh_ttl: timedelta


def access_claims(user: User, policy: TokenPolicy, now: datetime) -> dict[str, Any]:
    """The claims of an access token for ``user``: what every service reads of the caller."""
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": policy.issuer,
        "aud": policy.audience,
        "sub": str(user.user_id),
        "preferred_username": user.username,
        "name": user.name,
        "roles": list(user.roles),
        "locale": user.locale,
        "iat": issued,
        "exp": issued + int(policy.access_ttl.total_seconds()),
        "jti": uuid.uuid4().hex,
    }
    if user.kind is Kind.SYSTEM:
        claims["kind"] = "system"
    return claims


@dataclass
class RefreshGrant:
    """One refresh token (by its hash) of one sign-in."""

    token_hash: str
    family_id: UUID
    user_id: UUID
    client_id: str | None
    issued_at: datetime
    expires_at: datetime
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def first(
        cls,
        token_hash: str,
        user_id: UUID,
        client_id: str | None,
        policy: TokenPolicy,
        now: datetime,
    ) -> RefreshGrant:
        return cls(token_hash, uuid.uuid4(), user_id, client_id, now, now + policy.refresh_ttl)

    def refusal(self, now: datetime) -> InvalidGrant | None:
        """Why this token cannot be exchanged now, or None. Returned rather than raised: the
        caller ends the whole sign-in on a reused token, and that must be stored."""
        if self.rotated_at is not None:
            return RefreshTokenReused("refresh token already used; sign in again / 请重新登录")
        if self.revoked_at is not None:
            return InvalidGrant("signed out; sign in again / 已退出,请重新登录")
        if now >= self.expires_at:
            return InvalidGrant("sign-in expired; sign in again / 登录已过期,请重新登录")
        return None

    def rotate(self, token_hash: str, now: datetime) -> RefreshGrant:
        """Spend this token for its successor, which ends when the sign-in ends."""
        refusal = self.refusal(now)
        if refusal is not None:
            raise refusal
        self.rotated_at = now
        return RefreshGrant(
            token_hash, self.family_id, self.user_id, self.client_id, now, self.expires_at
        )


@dataclass(frozen=True)
class Throttle:
    """After ``free_failures`` wrong passwords in a row, each attempt waits twice as long as the
    one before (1 s, 2 s, 4 s ...) up to ``max_delay``; a right password starts again at 0."""

    free_failures: int
    max_delay: timedelta

    def wait(self, failures: int, last_failed_at: datetime | None, now: datetime) -> timedelta:
        if failures < self.free_failures or last_failed_at is None:
            return timedelta(0)
        exponent = min(failures - self.free_failures, 30)
        delay = min(timedelta(seconds=2**exponent), self.max_delay)
        return max(timedelta(0), last_failed_at + delay - now)
