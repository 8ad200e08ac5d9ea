"""The five services as processes: how to start each and where its HTTP API listens."""

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


def by_name(name: str) -> ServiceProcess:
    for service in SERVICES:
        if service.name == name:
            return service
    known = ", ".join(s.name for s in SERVICES)
    raise KeyError(f"unknown service {name!r}; known: {known}")
