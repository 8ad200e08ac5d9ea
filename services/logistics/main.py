"""Wiring: settings, clock and carrier gateway in, a runtime out. Nothing is built at import."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.logistics.adapters.carriers import CarrierGateway, SimulatedCarrier
from services.logistics.app.policy import ShippingPolicy
from services.logistics.app.use_cases import Logistics
from services.logistics.entrypoints.consumers import make_bus
from services.logistics.entrypoints.http import build_router
from services.logistics.settings import LogisticsSettings
from shared.calendar import calendar_from_settings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


class LogisticsRuntime(ServiceRuntime):
    """The kit's runtime plus what logistics' HTTP endpoints need (``deps``)."""

    deps: Logistics


def build_runtime(
    settings: LogisticsSettings | None = None,
    clock: Clock | None = None,
    gateway: CarrierGateway | None = None,
    **runtime_options: bool,
) -> ServiceRuntime:
    settings = settings or LogisticsSettings()
    calendar = calendar_from_settings(
        settings.calendar_country,
        settings.calendar_extra_days_off,
        settings.calendar_extra_working_days,
        settings.calendar_tz,
    )
    deps = Logistics(
        gateway=gateway
        or SimulatedCarrier(tracking_at_booking=settings.simulated_tracking_at_booking),
        policy=ShippingPolicy(
            calendar=calendar,
            tracking_number=settings.tracking_number_deadline,
            pickup=settings.pickup_deadline,
            delivery_window=settings.delivery_window,
            cutoff_hour=settings.pickup_cutoff_hour,
        ),
        return_weight_kg=settings.return_weight_kg,
    )
    runtime = LogisticsRuntime(
        settings, make_bus(deps), clock=clock, migrations=MIGRATIONS, **runtime_options
    )
    runtime.deps = deps
    return runtime


def routers() -> list[APIRouter]:
    return [build_router()]


def main() -> None:
    serve(build_runtime(), routers())
