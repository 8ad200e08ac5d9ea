"""HTTP clients for the five services' APIs; a refusal comes back as ``ServiceError``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from services.console.domain.errors import describe_error


class ServiceError(Exception):
    """A service answered 4xx/5xx, or could not be reached (status 502)."""

    def __init__(self, service: str, status: int, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service, self.status, self.message = service, status, message


class ServiceClients:
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
        response = await self.raw(service, method, path, **kw)
        if response.status_code >= 400:
            try:
                detail = response.json()
            except ValueError:
                detail = response.text
            raise ServiceError(
                service, response.status_code, describe_error(response.status_code, detail)
            )
        if not response.content:
            return None
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text

    async def raw(self, service: str, method: str, path: str, **kw: Any) -> httpx.Response:
        try:
            return await self._clients[service].request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise ServiceError(service, 502, f"{service} unreachable: {exc!s}") from exc
