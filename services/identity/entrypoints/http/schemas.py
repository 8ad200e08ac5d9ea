"""What the identity provider's HTTP API takes and answers.

The token and revocation endpoints take form parameters as OAuth 2.0 says; the user admin takes
JSON bodies like every other service (unknown fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.roles import Role
from services.identity.domain.users import User

Locale = Literal["zh-CN", "en"]


class TokenForm(BaseModel):
    """``POST /token`` (application/x-www-form-urlencoded, RFC 6749 4.3 and 6)."""

    grant_type: str = Field(max_length=100, description="password or refresh_token")
    username: str | None = Field(default=None, max_length=64, description="password grant")
    password: str | None = Field(default=None, max_length=256, description="password grant")
    refresh_token: str | None = Field(
        default=None, max_length=200, description="refresh_token grant"
    )
    client_id: str | None = Field(default=None, max_length=100, description="a public client")
    scope: str | None = Field(default=None, max_length=500, description="ignored")


class RevokeForm(BaseModel):
    """``POST /revoke`` (application/x-www-form-urlencoded, RFC 7009)."""

    token: str = Field(max_length=4000)
    token_type_hint: str | None = Field(default=None, max_length=50)


class TokenView(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds the access token is valid for")
    refresh_token: str


class OAuthErrorView(BaseModel):
    """RFC 6749 section 5.2."""

    error: str
    error_description: str


class UserInfo(BaseModel):
    """The signed-in user (OpenID Connect UserInfo)."""

    sub: str
    preferred_username: str
    name: str
    roles: list[str]
    locale: str


class Jwk(BaseModel):
    kty: str
    kid: str
    use: str
    alg: str
    n: str
    e: str


class Jwks(BaseModel):
    keys: list[Jwk]


class Discovery(BaseModel):
    """OpenID Provider metadata (OpenID Connect Discovery 1.0 section 3)."""

    issuer: str
    jwks_uri: str
    token_endpoint: str
    revocation_endpoint: str
    userinfo_endpoint: str
    grant_types_supported: list[str]
    response_types_supported: list[str]
    subject_types_supported: list[str]
    id_token_signing_alg_values_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    revocation_endpoint_auth_methods_supported: list[str]
    claims_supported: list[str]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserIn(Body):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    name: str | None = Field(default=None, max_length=200)
    locale: Locale = "zh-CN"
    kind: Literal["person", "system"] = "person"


class PasswordIn(Body):
    password: str = Field(min_length=1, max_length=256)


class UserView(BaseModel):
    user_id: UUID
    username: str
    name: str
    roles: list[str]
    locale: str
    kind: Literal["person", "system"]
    disabled: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            user_id=user.user_id,
            username=user.username,
            name=user.name,
            roles=list(user.roles),
            locale=user.locale,
            kind=user.kind.value,
            disabled=user.disabled,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )
