"""Wiring of the sales service: settings in, runtime out; nothing is built at import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter

from services.sales.app.unit import Work
from services.sales.domain.policy import SalesPolicy
from services.sales.entrypoints import http
from services.sales.entrypoints.consumers import make_bus
from services.sales.settings import SalesSettings
from shared.calendar import DeadlineRule, calendar_from_settings
from shared.clock import Clock
from shared.entry import serve
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


def _span(rule: DeadlineRule) -> timedelta:
    if rule.unit == "hours":
        return timedelta(hours=rule.length)
    if rule.unit == "days":
        return timedelta(days=rule.length)
    raise ValueError(f"{rule} must be in hours or days (calendar time)")


def policy_from(settings: SalesSettings) -> SalesPolicy:
    calendar = calendar_from_settings(
        settings.calendar_country,
        settings.calendar_extra_days_off,
        settings.calendar_extra_working_days,
        settings.calendar_tz,
    )
    return SalesPolicy(
        calendar=calendar,
        info_request=settings.info_request_deadline,
        review=settings.review_deadline,
        approval=settings.approval_deadline,
        signature=settings.signature_deadline,
        invoice=settings.invoice_deadline,
        reminder_before_due=_span(settings.reminder_before_due),
        collections_after_due=_span(settings.collections_after_due),
        approval_threshold=settings.approval_threshold,
        matrix=settings.matrix(),
        base_currency=settings.base_currency,
        payment_systems=frozenset(settings.payment_systems),
    )


def bootstrap(settings: SalesSettings) -> Callable[[UnitOfWork], Work]:
    """What each use case is given, per unit of work: repositories, time, actor, policy."""
    policy = policy_from(settings)

    def contexts(uow: UnitOfWork) -> Work:
        return Work(uow, policy, settings.default_currency)

    return contexts


def build_runtime(
    settings: SalesSettings | None = None, clock: Clock | None = None
) -> ServiceRuntime:
    settings = settings or SalesSettings()
    contexts = bootstrap(settings)
    bus = make_bus(settings.service_name, contexts)
    return ServiceRuntime(settings, bus, clock=clock, migrations=MIGRATIONS, contexts=contexts)


def routers() -> list[APIRouter]:
    return http.routers()


def main() -> None:
    serve(build_runtime(), routers())
