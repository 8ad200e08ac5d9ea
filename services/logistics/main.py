"""Wiring of the logistics service: settings, clock and carrier gateway in, a runtime out.
Nothing is built at import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter

from services.logistics.adapters.carriers import CarrierGateway, SimulatedCarrier
from services.logistics.app.policy import ShippingPolicy
from services.logistics.app.unit import Setup, Work
from services.logistics.entrypoints import http
from services.logistics.entrypoints.consumers import make_bus
from services.logistics.settings import LogisticsSettings
from shared.calendar import calendar_from_settings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(
    settings: LogisticsSettings, gateway: CarrierGateway | None = None
) -> Callable[[UnitOfWork], Work]:
    """What each use case is given, per unit of work: repositories, time, actor, the carrier
    gateway (the built-in simulated carrier unless one is given) and the shipping policy."""
    calendar = calendar_from_settings(
        settings.calendar_country,
        settings.calendar_extra_days_off,
        settings.calendar_extra_working_days,
        settings.calendar_tz,
    )
    setup = Setup(
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

    def contexts(uow: UnitOfWork) -> Work:
        return Work(uow, setup)

    return contexts


class LogisticsRuntime(ServiceRuntime):
    """The kit's runtime, its use-case context typed as logistics' ``Work``."""

    settings: LogisticsSettings
    contexts: Callable[[UnitOfWork], Work]


def build_runtime(
    settings: LogisticsSettings | None = None,
    clock: Clock | None = None,
    gateway: CarrierGateway | None = None,
    *,
    run_relay: bool = True,
    run_timers: bool = True,
) -> LogisticsRuntime:
    settings = settings or LogisticsSettings()
    contexts = bootstrap(settings, gateway)
    return LogisticsRuntime(
        settings,
        make_bus(contexts, settings.service_name),
        clock=clock,
        migrations=MIGRATIONS,
        run_relay=run_relay,
        run_timers=run_timers,
        contexts=contexts,
    )


def routers(settings: LogisticsSettings | None = None) -> list[APIRouter]:
    """The API; the carrier simulator's routes only where ``simulator_routes`` is on."""
    settings = settings or LogisticsSettings()
    return http.routers(with_simulator=settings.simulator_routes)


def main() -> None:
    runtime = build_runtime()
    serve(runtime, routers(runtime.settings))
