"""Wiring of the production service: settings in, runtime out; nothing is built at import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter

from services.production.app.unit import Planning, Work
from services.production.entrypoints import http
from services.production.entrypoints.consumers import make_bus
from services.production.entrypoints.jobs import run_periodically
from services.production.settings import ProductionSettings
from shared.calendar import calendar_from_settings
from shared.clock import Clock, real_seconds
from shared.entry import serve
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(settings: ProductionSettings) -> Callable[[UnitOfWork], Work]:
    """What each use case is given, per unit of work: repositories, time, actor, planning."""
    planning = Planning(
        calendar=calendar_from_settings(
            settings.calendar_country,
            settings.calendar_extra_days_off,
            settings.calendar_extra_working_days,
            settings.calendar_tz,
        ),
        horizon_days=settings.planning_horizon_days,
        lead_days=settings.lead_days,
    )

    def contexts(uow: UnitOfWork) -> Work:
        return Work(uow, planning)

    return contexts


class ProductionRuntime(ServiceRuntime):
    """The kit's runtime plus production's periodic checks (run as the system)."""

    settings: ProductionSettings
    contexts: Callable[[UnitOfWork], Work]

    def __init__(
        self, settings: ProductionSettings, clock: Clock | None = None, run_jobs: bool = True
    ) -> None:
        contexts = bootstrap(settings)
        super().__init__(
            settings,
            make_bus(settings.service_name, contexts),
            clock=clock,
            migrations=MIGRATIONS,
            contexts=contexts,
        )
        if run_jobs:
            self.add_background(
                lambda stop: run_periodically(
                    self.new_uow,
                    contexts,
                    self.settings.warehouse_wait,
                    real_seconds(self.clock, self.settings.delay_check_interval_s),
                    stop,
                )
            )


def build_runtime(
    settings: ProductionSettings | None = None, clock: Clock | None = None
) -> ProductionRuntime:
    return ProductionRuntime(settings or ProductionSettings(), clock=clock)


def routers() -> list[APIRouter]:
    return http.routers()


def main() -> None:
    serve(build_runtime(), routers())
