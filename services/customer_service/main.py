"""Wiring: settings, calendar, notifier, bus, runtime. Nothing is built at import time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter

from services.customer_service.adapters.notifier import (
    FileChannel,
    NoticeChannel,
    NoticeDispatcher,
    OutboxNotifier,
    OutboxOnlyChannel,
)
from services.customer_service.app.unit import CustomerServicePolicy, Work
from services.customer_service.domain.allowances import NO_LIMIT, AllowancePolicy
from services.customer_service.domain.complaints import ComplaintRules
from services.customer_service.domain.tickets import SparePartRules
from services.customer_service.entrypoints import http
from services.customer_service.entrypoints.consumers import make_bus
from services.customer_service.settings import CustomerServiceSettings
from shared.calendar import calendar_from_settings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


def policy_of(settings: CustomerServiceSettings) -> CustomerServicePolicy:
    """The rules' settings, read once."""
    s = settings
    limits = {role: NO_LIMIT if v is None else v for role, v in s.allowance_limits.items()}
    return CustomerServicePolicy(
        calendar=calendar_from_settings(
            s.calendar_country,
            s.calendar_extra_days_off,
            s.calendar_extra_working_days,
            s.calendar_tz,
        ),
        complaints=ComplaintRules(
            s.complaint_assignment_deadline,
            s.complaint_resolution_domestic,
            s.complaint_resolution_foreign,
        ),
        spare_parts=SparePartRules(s.spare_part_stock_install, s.spare_part_rush_install),
        allowances=AllowancePolicy(s.allowance_currency, limits, dict(s.allowance_rates)),
        escalation_chain=tuple(s.escalation_chain),
        delay_remedy_threshold=s.delay_remedy_threshold_business_days,
        remedy_plan_deadline=s.remedy_plan_deadline,
        at_risk_days=s.at_risk_days,
    )


def bootstrap(settings: CustomerServiceSettings) -> Callable[[UnitOfWork], Work]:
    """What each use case is given, per unit of work: repositories, time, actor, policy."""
    policy = policy_of(settings)
    notifier = OutboxNotifier()

    def contexts(uow: UnitOfWork) -> Work:
        return Work(uow, policy, notifier)

    return contexts


class CustomerServiceRuntime(ServiceRuntime):
    """The kit's runtime plus the notice dispatcher."""

    def __init__(self, settings: CustomerServiceSettings, clock: Clock | None = None) -> None:
        contexts = bootstrap(settings)
        super().__init__(
            settings,
            make_bus(settings.service_name, contexts),
            clock=clock,
            migrations=MIGRATIONS,
            contexts=contexts,
        )
        channel: NoticeChannel = (
            FileChannel(settings.notice_file) if settings.notice_file else OutboxOnlyChannel()
        )
        self.notices = NoticeDispatcher(self.new_uow, channel, poll_s=settings.notice_poll_s)
        self.add_background(self.notices.run)


def build_runtime(
    settings: CustomerServiceSettings | None = None, clock: Clock | None = None
) -> CustomerServiceRuntime:
    return CustomerServiceRuntime(settings or CustomerServiceSettings(), clock)


def routers() -> list[APIRouter]:
    return http.routers()


def main() -> None:
    serve(build_runtime(), routers())
