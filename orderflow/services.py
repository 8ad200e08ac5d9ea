"""The five services, the identity provider and the console as processes: how to start each
and where it listens."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceProcess:
    name: str
    port: int

    @property
    def module(self) -> str:
        return f"services.{self.name}"

    @property
    def env_prefix(self) -> str:
        return f"{self.name.upper()}_"

    def base_url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}"


SERVICES: tuple[ServiceProcess, ...] = (
    ServiceProcess("sales", 8001),
    ServiceProcess("production", 8002),
    ServiceProcess("warehouse", 8003),
    ServiceProcess("logistics", 8004),
    ServiceProcess("customer_service", 8005),
)

IDENTITY = ServiceProcess("identity", 8006)
"""The embedded identity provider: people and systems sign in there; every service checks its
tokens (their default ``auth_issuer`` is this address). It consumes no queue."""
CONSOLE = ServiceProcess("console", 8000)
"""The operations console: pages over the five services' APIs; it consumes no queue."""
PROCESSES: tuple[ServiceProcess, ...] = (IDENTITY, *SERVICES, CONSOLE)
"""Every process of a whole system, the identity provider first."""


def by_name(name: str) -> ServiceProcess:
    for service in PROCESSES:
        if service.name == name:
            return service
    known = ", ".join(s.name for s in PROCESSES)
    raise KeyError(f"unknown service {name!r}; known: {known}")
