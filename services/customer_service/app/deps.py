"""What use cases need besides the unit of work: settings, calendar, the notifier port."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Message
from services.customer_service.domain.complaints import ComplaintRules
from services.customer_service.domain.notices import Notice
from services.customer_service.domain.tickets import SparePartRules
from services.customer_service.settings import CustomerServiceSettings
from shared.calendar import BusinessCalendar
from shared.uow import UnitOfWork


class Notifier(Protocol):
    """Port: record a customer notice in the current transaction; False if already told."""

    async def notify(
        self, session: AsyncSession, notice: Notice, recipient: dict[str, Any], now: datetime
    ) -> bool: ...


@dataclass(frozen=True)
class Deps:
    settings: CustomerServiceSettings
    calendar: BusinessCalendar
    notifier: Notifier

    @property
    def complaint_rules(self) -> ComplaintRules:
        s = self.settings
        return ComplaintRules(
            s.complaint_assignment_deadline,
            s.complaint_resolution_domestic,
            s.complaint_resolution_foreign,
        )

    @property
    def spare_part_rules(self) -> SparePartRules:
        return SparePartRules(
            self.settings.spare_part_stock_install, self.settings.spare_part_rush_install
        )

    def period(self, at: datetime) -> str:
        """Numbering period YYYYMM in local time."""
        return self.calendar.local_date(at).strftime("%Y%m")


async def emit_all(uow: UnitOfWork, events: list[Message], correlation_id: str) -> None:
    for event in events:
        await uow.emit(event, correlation_id=correlation_id)
    events.clear()


class NotFound(LookupError):
    """No such complaint, ticket, plan, survey, ...; the HTTP API answers 404."""
