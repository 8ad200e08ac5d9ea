"""Wiring: settings, planning calendar, message bus, runtime, HTTP routers."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.production.app.common import Planning
from services.production.entrypoints.consumers import make_bus
from services.production.entrypoints.http import router
from services.production.entrypoints.jobs import run_periodically
from services.production.settings import ProductionSettings
from shared.calendar import BusinessCalendar, calendar_from_settings
from shared.clock import Clock, real_seconds
from shared.entry import serve
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


class ProductionRuntime(ServiceRuntime):
    """The kit's runtime plus production's planning calendar and its periodic checks."""

    settings: ProductionSettings

    def __init__(
        self, settings: ProductionSettings, clock: Clock | None = None, run_jobs: bool = True
    ) -> None:
        self.planning = Planning(
            calendar=_calendar(settings),
            horizon_days=settings.planning_horizon_days,
            lead_days=settings.lead_days,
        )
        super().__init__(
            settings,
            make_bus(self.planning, settings.service_name),
            clock=clock,
            migrations=MIGRATIONS,
        )
        if run_jobs:
            self.add_background(
                lambda stop: run_periodically(
                    self.new_uow,
                    self.planning,
                    self.settings.warehouse_wait,
                    real_seconds(self.clock, self.settings.delay_check_interval_s),
                    stop,
                )
            )


def _calendar(settings: ProductionSettings) -> BusinessCalendar:
    return calendar_from_settings(
        settings.calendar_country,
        settings.calendar_extra_days_off,
        settings.calendar_extra_working_days,
        settings.calendar_tz,
    )


def build_runtime(
    settings: ProductionSettings | None = None, clock: Clock | None = None
) -> ProductionRuntime:
    return ProductionRuntime(settings or ProductionSettings(), clock=clock)


def routers() -> list[APIRouter]:
    return [router]


def main() -> None:
    serve(build_runtime(), routers())
