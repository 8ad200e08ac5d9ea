"""Wiring of the warehouse service: settings in, runtime out; nothing is built at import."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.warehouse.entrypoints import http
from services.warehouse.entrypoints.consumers import make_bus
from services.warehouse.settings import WarehouseSettings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(
    settings: WarehouseSettings | None = None, clock: Clock | None = None
) -> ServiceRuntime:
    settings = settings or WarehouseSettings()
    return ServiceRuntime(settings, make_bus(settings), clock=clock, migrations=MIGRATIONS)


def routers() -> list[APIRouter]:
    return http.routers()


def main() -> None:
    runtime = build_runtime()
    serve(runtime, routers())
