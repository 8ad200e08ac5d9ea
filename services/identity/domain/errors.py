"""Refusals of the identity provider in the kit's vocabulary, plus the token endpoint's own.

The token and revocation endpoints answer as OAuth 2.0 says (RFC 6749 section 5.2:
``{"error", "error_description"}``), so any OAuth client library understands them; everything
else answers problem details like every other service."""

from __future__ import annotations

from typing import ClassVar

from shared.errors import Conflict, NotFound, Refusal


class OAuthError(Refusal):
    """A token request refused, with the RFC 6749 error code."""

    error: ClassVar[str] = "invalid_request"
    http_status = 400
    slug = "oauth"
    title = "Token request refused"

    def __init__(self, description: str, *, retry_after_s: int | None = None) -> None:
        super().__init__(description)
        self.retry_after_s = retry_after_s


class InvalidRequest(OAuthError):
    """A parameter is missing, repeated or malformed."""

    error = "invalid_request"


class InvalidGrant(OAuthError):
    """Wrong username or password, a disabled account, or a refresh token that is unknown,
    expired, revoked or already used."""

    error = "invalid_grant"


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class InvalidClient(OAuthError):
    """Client authentication was attempted: this issuer has public clients only."""

    error = "invalid_client"
    http_status = 401


class RefreshTokenReused(InvalidGrant):
    """A refresh token already exchanged came back: someone else may hold a copy, so the whole
    sign-in it belongs to ends (OAuth 2.0 Security BCP, refresh token rotation)."""


class UnknownUser(NotFound):
    def __init__(self, username: str) -> None:
        super().__init__("user", username)


class UsernameTaken(Conflict):
    def __init__(self, username: str) -> None:
        super().__init__(f"the username {username} is taken / 用户名 {username} 已存在")
