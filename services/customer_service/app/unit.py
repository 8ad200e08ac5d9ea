"""What every use case gets: the unit of work's repositories, the time, the actor, the rules'
settings, and the notifier. Built per unit of work by the factory ``bootstrap`` makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.customer_service.adapters.repositories import (
    ComplaintRepository,
    Numbers,
    RemedyPlanRepository,
    ReturnRepository,
    SparePartRepository,
    SurveyRepository,
    TicketRepository,
)
from services.customer_service.adapters.timeline_repository import (
    EventStore,
    NoticeRepository,
    TimelineRepository,
)
from services.customer_service.domain.allowances import AllowancePolicy
from services.customer_service.domain.complaints import ComplaintRules
from services.customer_service.domain.notices import Notice
from services.customer_service.domain.tickets import SparePartRules
from shared.aggregate import Recorder
from shared.auth import Actor
from shared.calendar import BusinessCalendar, DeadlineRule
from shared.uow import UnitOfWork


class Notifier(Protocol):
    """Port: record a customer notice in the current transaction; False if already told."""

    async def notify(
        self, session: AsyncSession, notice: Notice, recipient: dict[str, Any], now: datetime
    ) -> bool: ...


@dataclass(frozen=True)
class CustomerServicePolicy:
    """The rules' settings, built once by ``bootstrap``."""

    calendar: BusinessCalendar
    complaints: ComplaintRules
    spare_parts: SparePartRules
    allowances: AllowancePolicy
    escalation_chain: tuple[str, ...]
    delay_remedy_threshold: int
    remedy_plan_deadline: DeadlineRule
    at_risk_days: int

    def period(self, at: datetime) -> str:
        """Numbering period YYYYMM in local time."""
        return self.calendar.local_date(at).strftime("%Y%m")


class Work:
    """Repositories over one unit of work; events go out under its correlation id."""

    def __init__(self, uow: UnitOfWork, policy: CustomerServicePolicy, notifier: Notifier) -> None:
        self.uow = uow
        self.policy = policy
        self.notifier = notifier
        session = uow.session
        self.now: datetime = uow.now
        self.numbers = Numbers(session)
        self.complaints = ComplaintRepository(session)
        self.remedy_plans = RemedyPlanRepository(session)
        self.returns = ReturnRepository(session)
        self.tickets = TicketRepository(session)
        self.spare_parts = SparePartRepository(session)
        self.surveys = SurveyRepository(session)
        self.timelines = TimelineRepository(session)
        self.event_store = EventStore(session)
        self.notices = NoticeRepository(session)

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    @property
    def calendar(self) -> BusinessCalendar:
        return self.policy.calendar

    def about(self, subject: UUID | str) -> None:
        """This request acts on ``subject`` (an order, a complaint, a ticket): what it emits goes
        out under its id, and the audit trail files the request under it even when nothing is
        emitted (a note, a proposed remedy)."""
        key = str(subject)
        self.uow.correlation_id = key
        self.uow.touch(key)

    async def collect(self, aggregate: Recorder) -> None:
        """Emit what ``aggregate`` recorded and set or stop the deadlines it asked for."""
        await self.uow.collect(aggregate)
