"""The identity provider's OAuth2 endpoints, as the console uses them (RFC 6749, RFC 7009).

The console signs people in server-side with the password grant, keeps their session alive with
the refresh grant (refresh tokens rotate: the one used is spent) and signs them out by revoking
the refresh token. Endpoints come from the issuer's discovery document (OpenID Connect
Discovery), so the embedded issuer and the company's Keycloak, Authentik or Azure AD work alike;
settings can name them outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import structlog

log = structlog.get_logger("orderflow.console.identity")

DISCOVERY = "/.well-known/openid-configuration"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    expires_in: int
    refresh_expires_in: int | None = None


class SignInRefused(Exception):
    """The provider refused the grant: wrong password, disabled user, spent refresh token."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error, self.description = error, description


class IdentityUnavailable(Exception):
    """The provider could not be reached or answered with something unexpected."""


@dataclass
class IdentityEndpoints:
    issuer: str
    token_url: str = ""
    revocation_url: str = ""
    client_id: str = ""
    client_secret: str = ""


class IdentityClient:
    def __init__(self, endpoints: IdentityEndpoints, timeout_s: float) -> None:
        self._endpoints = endpoints
        self._http = httpx.AsyncClient(timeout=timeout_s)

    async def close(self) -> None:
        await self._http.aclose()

    async def password(self, username: str, password: str) -> Tokens:
        return await self._grant(
            {"grant_type": "password", "username": username, "password": password}
        )

    async def refresh(self, refresh_token: str) -> Tokens:
        return await self._grant({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def revoke(self, token: str) -> None:
        """RFC 7009: the provider answers 200 whether or not it knew the token."""
        url = await self._url("revocation_url", "revocation_endpoint")
        form = {"token": token, "token_type_hint": "refresh_token", **self._client()}
        try:
            response = await self._http.post(url, data=form)
        except httpx.HTTPError as exc:
            raise IdentityUnavailable(f"revocation endpoint unreachable: {exc!s}") from exc
        if response.status_code >= 500:
            raise IdentityUnavailable(f"revocation endpoint answered {response.status_code}")

    async def _grant(self, form: dict[str, str]) -> Tokens:
        url = await self._url("token_url", "token_endpoint")
        try:
            response = await self._http.post(url, data={**form, **self._client()})
        except httpx.HTTPError as exc:
            raise IdentityUnavailable(f"token endpoint unreachable: {exc!s}") from exc
        body = _json(response)
        if response.status_code in (400, 401) and "error" in body:
            raise SignInRefused(str(body["error"]), str(body.get("error_description") or ""))
        if response.status_code != 200 or not body.get("access_token"):
            raise IdentityUnavailable(f"token endpoint answered {response.status_code}")
        return Tokens(
            access_token=str(body["access_token"]),
            refresh_token=body.get("refresh_token") or form.get("refresh_token"),
            expires_in=int(body.get("expires_in") or 0),
            refresh_expires_in=_int(body.get("refresh_expires_in")),
        )

    def _client(self) -> dict[str, str]:
        """Client credentials where the provider wants them (Keycloak: a confidential client)."""
        found = {}
        if self._endpoints.client_id:
            found["client_id"] = self._endpoints.client_id
        if self._endpoints.client_secret:
            found["client_secret"] = self._endpoints.client_secret
        return found

    async def _url(self, attribute: str, discovered_as: str) -> str:
        known: str = getattr(self._endpoints, attribute)
        if known:
            return known
        url = self._endpoints.issuer.rstrip("/") + DISCOVERY
        try:
            response = await self._http.get(url)
        except httpx.HTTPError as exc:
            raise IdentityUnavailable(f"discovery document unreachable: {exc!s}") from exc
        document = _json(response)
        if response.status_code != 200 or not document.get("token_endpoint"):
            raise IdentityUnavailable(f"no discovery document at {url}")
        # Kept for the life of the process: the provider's endpoints do not move under it.
        self._endpoints.token_url = str(document["token_endpoint"])
        self._endpoints.revocation_url = str(document.get("revocation_endpoint") or "")
        found: str = getattr(self._endpoints, attribute)
        if not found:
            raise IdentityUnavailable(f"the provider publishes no {discovered_as}")
        log.info("identity_endpoints_discovered", issuer=self._endpoints.issuer)
        return found


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
