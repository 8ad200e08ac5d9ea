"""Wiring: settings, calendar, notifier, bus, runtime. Nothing is built at import time."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.customer_service.adapters.notifier import (
    FileChannel,
    NoticeChannel,
    NoticeDispatcher,
    OutboxNotifier,
    OutboxOnlyChannel,
)
from services.customer_service.app.deps import Deps
from services.customer_service.entrypoints import http
from services.customer_service.entrypoints.consumers import make_bus
from services.customer_service.settings import CustomerServiceSettings
from shared.calendar import calendar_from_settings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "migrations"


class CustomerServiceRuntime(ServiceRuntime):
    """The kit's runtime plus the notice dispatcher, and the use cases' dependencies."""

    def __init__(self, settings: CustomerServiceSettings, deps: Deps, **kwargs: object) -> None:
        super().__init__(settings, make_bus(deps), **kwargs)  # type: ignore[arg-type]
        self.deps = deps
        channel: NoticeChannel = (
            FileChannel(settings.notice_file) if settings.notice_file else OutboxOnlyChannel()
        )
        self.notices = NoticeDispatcher(self.new_uow, channel, poll_s=settings.notice_poll_s)
        self.add_background(self.notices.run)


def build_runtime(
    settings: CustomerServiceSettings | None = None, clock: Clock | None = None
) -> CustomerServiceRuntime:
    settings = settings or CustomerServiceSettings()
    calendar = calendar_from_settings(
        settings.calendar_country,
        settings.calendar_extra_days_off,
        settings.calendar_extra_working_days,
        settings.calendar_tz,
    )
    deps = Deps(settings=settings, calendar=calendar, notifier=OutboxNotifier())
    return CustomerServiceRuntime(settings, deps, clock=clock, migrations=MIGRATIONS)


def routers() -> list[APIRouter]:
    return http.routers()


def main() -> None:
    serve(build_runtime(), routers())
