"""The domain's rule parameters, built from the service's settings and calendar."""

from __future__ import annotations

from datetime import timedelta

from services.sales.domain.policy import SalesPolicy
from services.sales.settings import SalesSettings
from shared.calendar import BusinessCalendar, DeadlineRule


def _span(rule: DeadlineRule) -> timedelta:
    if rule.unit == "hours":
        return timedelta(hours=rule.length)
    if rule.unit == "days":
        return timedelta(days=rule.length)
    raise ValueError(f"{rule} must be in hours or days (calendar time)")


def policy_from(settings: SalesSettings, calendar: BusinessCalendar) -> SalesPolicy:
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
    )
