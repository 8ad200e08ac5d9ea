"""HTTP clients for the five services' APIs, calling as the signed-in person.

Every call carries that person's access token as its bearer token: the services check it and the
person's roles themselves, and record the person in their audit trails. A refusal comes back as
``ServiceError`` with the service's problem body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from services.console.domain.errors import describe_error


class ServiceError(Exception):
    """A service answered 4xx/5xx, or could not be reached (status 502)."""

    def __init__(
        self, service: str, status: int, message: str, problem: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{service}: {message}")
        self.service, self.status, self.message = service, status, message
        self.problem = problem


class ServiceClients:
    """One connection pool per service, shared by every request."""

    def __init__(self, urls: Mapping[str, str], timeout_s: float) -> None:
        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=timeout_s) for name, url in urls.items()
        }

    @property
    def names(self) -> list[str]:
        return list(self._clients)

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    def acting_as(self, access_token: str) -> ServiceCalls:
        return ServiceCalls(self, {"Authorization": f"Bearer {access_token}"})

    async def openapi(self, service: str) -> dict[str, Any]:
        """The service's OpenAPI document (public): its routes and the roles each allows."""
        response = await self.send(service, "GET", "/openapi.json", {})
        if response.status_code != 200:
            raise ServiceError(service, response.status_code, "no OpenAPI document")
        document = response.json()
        return document if isinstance(document, dict) else {}

    async def send(
        self, service: str, method: str, path: str, headers: Mapping[str, str], **kw: Any
    ) -> httpx.Response:
        try:
            return await self._clients[service].request(method, path, headers=headers, **kw)
        except httpx.HTTPError as exc:
            raise ServiceError(service, 502, f"{service} unreachable: {exc!s}") from exc


class ServiceCalls:
    """The services as one person sees them."""

    def __init__(self, clients: ServiceClients, headers: Mapping[str, str]) -> None:
        self._clients, self._headers = clients, dict(headers)

    @property
    def names(self) -> list[str]:
        return self._clients.names

    async def get(self, service: str, path: str, **params: Any) -> Any:
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        return await self.request(service, "GET", path, params=query)

    async def get_or_none(self, service: str, path: str, **params: Any) -> Any:
        """None for 404 (a department that has not heard of the order yet)."""
        try:
            return await self.get(service, path, **params)
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def request(self, service: str, method: str, path: str, **kw: Any) -> Any:
        response = await self._clients.send(service, method, path, self._headers, **kw)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = response.text
            problem = body if isinstance(body, dict) else None
            raise ServiceError(
                service,
                response.status_code,
                describe_error(response.status_code, body),
                problem,
            )
        if not response.content:
            return None
        content_type = response.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            return response.json()
        return response.text
