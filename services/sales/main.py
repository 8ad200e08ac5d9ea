"""Wiring of the sales service: settings, policy, consumers, HTTP routers, runtime."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.sales.app.policy import policy_from
from services.sales.entrypoints.consumers import make_bus
from services.sales.entrypoints.http import router
from services.sales.settings import SalesSettings
from shared.calendar import calendar_from_settings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


def build_runtime(
    settings: SalesSettings | None = None, clock: Clock | None = None
) -> ServiceRuntime:
    settings = settings or SalesSettings()
    calendar = calendar_from_settings(
        settings.calendar_country,
        settings.calendar_extra_days_off,
        settings.calendar_extra_working_days,
        settings.calendar_tz,
    )
    bus = make_bus(settings.service_name, policy_from(settings, calendar), settings)
    return ServiceRuntime(settings, bus, clock=clock, migrations=MIGRATIONS)


def routers() -> list[APIRouter]:
    return [router]


def main() -> None:
    serve(build_runtime(), routers())
