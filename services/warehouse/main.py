"""Wiring of the warehouse service: settings in, runtime out; nothing is built at import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import APIRouter

from services.warehouse.app.unit import WarehousePolicy, Work
from services.warehouse.entrypoints import http
from services.warehouse.entrypoints.consumers import make_bus
from services.warehouse.settings import WarehouseSettings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(settings: WarehouseSettings) -> Callable[[UnitOfWork], Work]:
    """What each use case is given, per unit of work: repositories, time, actor, policy."""
    policy = WarehousePolicy(
        inbound_location=settings.inbound_location,
        restock_location=settings.restock_location,
        tz=ZoneInfo(settings.calendar_tz),
    )

    def contexts(uow: UnitOfWork) -> Work:
        return Work(uow, policy)

    return contexts


def build_runtime(
    settings: WarehouseSettings | None = None, clock: Clock | None = None
) -> ServiceRuntime:
    settings = settings or WarehouseSettings()
    contexts = bootstrap(settings)
    bus = make_bus(settings.service_name, contexts)
    return ServiceRuntime(settings, bus, clock=clock, migrations=MIGRATIONS, contexts=contexts)


def routers() -> list[APIRouter]:
    return http.routers()


def main() -> None:
    runtime = build_runtime()
    serve(runtime, routers())
