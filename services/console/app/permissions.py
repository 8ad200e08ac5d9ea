"""The services' route tables, fetched from their OpenAPI documents and kept a while."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import structlog

from services.console.adapters.services import ServiceClients, ServiceError
from services.console.domain.permissions import ACTIONS, RouteRoles, permitted

log = structlog.get_logger("orderflow.console.permissions")

# A service that did not answer is asked again on a page shown this much later, not on every
# one (the pages refresh every few seconds).
_RETRY_S = 5.0


@dataclass(frozen=True)
class Permitted:
    actions: frozenset[str]
    unknown: tuple[str, ...]  # services whose route roles could not be read


class RoleDirectory:
    def __init__(
        self,
        clients: ServiceClients,
        own: RouteRoles,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clients, self._own, self._ttl_s, self._clock = clients, own, ttl_s, clock
        self._tables: dict[str, tuple[float, RouteRoles | None]] = {}
        self._lock = asyncio.Lock()
        self._services = sorted({a.service for a in ACTIONS.values()} - {"console"})

    async def permitted(self, roles: Iterable[str]) -> Permitted:
        tables = await self.tables()
        unknown = tuple(s for s in self._services if s not in tables)
        return Permitted(permitted(tables, roles), unknown)

    async def tables(self) -> dict[str, RouteRoles]:
        async with self._lock:
            stale = [s for s in self._services if self._stale(s)]
            if stale:
                found = await asyncio.gather(*(self._fetch(s) for s in stale))
                now = self._clock()
                for service, table in zip(stale, found, strict=True):
                    self._keep(service, table, now)
        known = {s: t for s, (_, t) in self._tables.items() if t is not None}
        return {"console": self._own, **known}

    def _keep(self, service: str, table: RouteRoles | None, now: float) -> None:
        previous = self._tables.get(service, (now, None))[1]
        if table is None and previous is not None:
            # Keep what the service said last; ask again soon.
            self._tables[service] = (now - self._ttl_s + _RETRY_S, previous)
        else:
            self._tables[service] = (now, table)

    def _stale(self, service: str) -> bool:
        if service not in self._tables:
            return True
        fetched_at, table = self._tables[service]
        return self._clock() - fetched_at >= (self._ttl_s if table is not None else _RETRY_S)

    async def _fetch(self, service: str) -> RouteRoles | None:
        try:
            return RouteRoles.from_openapi(await self._clients.openapi(service))
        except (ServiceError, ValueError) as exc:
            log.warning("route_roles_unavailable", service=service, error=str(exc))
            return None
