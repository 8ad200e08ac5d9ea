"""Who is calling: OAuth2/OIDC bearer tokens checked against the issuer's published keys.

Every service validates JWTs itself (signature against the issuer's JWKS, ``iss``, ``aud``,
``exp``), so any standard identity provider can sign people in: the embedded issuer
(``services.identity``) by default, the company's Keycloak, Authentik or Azure AD in production.
Where a provider puts roles differs (Keycloak: ``realm_access.roles``), so the claim is a setting.

Keys are fetched over HTTP (``auth_jwks_url``) or given inline (``auth_jwks``, for tests and
air-gapped sites), cached, and fetched again when a token names a key id not seen yet (key
rotation), at most once per ``_REFRESH_FLOOR_S``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import jwt
import structlog

from shared.errors import Unauthenticated

log = structlog.get_logger("orderflow.auth")

_REFRESH_FLOOR_S = 30.0
_KEYS_TTL_S = 600.0


@dataclass(frozen=True)
class Actor:
    """The verified caller: a person signed in, or a departmental system."""

    subject: str
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    kind: Literal["person", "system"] = "person"

    def has_any(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(str(r) for r in roles)

    def as_record(self) -> dict[str, Any]:
        return {"subject": self.subject, "name": self.name, "roles": sorted(self.roles)}


@dataclass(frozen=True)
class AuthConfig:
    issuer: str
    audience: str
    jwks_url: str = ""
    jwks: str = ""
    roles_claim: str = "roles"
    name_claims: tuple[str, ...] = ("preferred_username", "name")
    algorithms: tuple[str, ...] = ("RS256", "ES256", "EdDSA")
    leeway_s: float = 30.0


class TokenVerifier:
    """Turns a bearer token into an ``Actor``, or raises ``Unauthenticated`` saying why."""

    def __init__(self, config: AuthConfig, http: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._http = http
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -1e9
        self._lock = asyncio.Lock()
        if config.jwks:
            self._keys = _parse_jwks(json.loads(config.jwks))
            self._fetched_at = float("inf")

    async def verify(self, token: str) -> Actor:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"not a valid token: {exc}") from exc
        key = await self._key_for(header.get("kid"))
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(self.config.algorithms),
                audience=self.config.audience,
                issuer=self.config.issuer,
                leeway=self.config.leeway_s,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"token refused: {exc}") from exc
        return actor_from_claims(claims, self.config)

    async def _key_for(self, kid: str | None) -> jwt.PyJWK:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        if kid in self._keys and time.monotonic() - self._fetched_at < _KEYS_TTL_S:
            return self._keys[str(kid)]
        await self._refresh(force=kid not in self._keys)
        if kid is None or kid not in self._keys:
            raise Unauthenticated("token signed with a key the issuer does not publish")
        return self._keys[kid]

    async def _refresh(self, *, force: bool) -> None:
        if not self.config.jwks_url:
            return
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            if age < _REFRESH_FLOOR_S or (not force and age < _KEYS_TTL_S):
                return
            try:
                client = self._http or httpx.AsyncClient(timeout=5.0)
                try:
                    response = await client.get(self.config.jwks_url)
                finally:
                    if self._http is None:
                        await client.aclose()
                response.raise_for_status()
                self._keys = _parse_jwks(response.json())
            except (httpx.HTTPError, ValueError) as exc:
                # Keep the keys already known: a brief issuer outage signs nobody out.
                log.warning("jwks_fetch_failed", url=self.config.jwks_url, error=str(exc))
            self._fetched_at = time.monotonic()


def _parse_jwks(data: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    keys: dict[str, jwt.PyJWK] = {}
    for index, raw in enumerate(data.get("keys", [])):
        if raw.get("use", "sig") != "sig":
            continue
        key = jwt.PyJWK.from_dict(dict(raw))
        keys[str(raw.get("kid", index))] = key
    return keys


def actor_from_claims(claims: Mapping[str, Any], config: AuthConfig) -> Actor:
    roles: Any = claims
    for part in config.roles_claim.split("."):
        roles = roles.get(part, []) if isinstance(roles, Mapping) else []
    if isinstance(roles, str):
        roles = roles.split()
    name = next((str(claims[c]) for c in config.name_claims if claims.get(c)), claims["sub"])
    kind: Literal["person", "system"] = "system" if claims.get("kind") == "system" else "person"
    return Actor(str(claims["sub"]), name, frozenset(str(r) for r in roles), kind)


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("sign in first: no bearer token was sent")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()
