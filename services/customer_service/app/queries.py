"""Read-only use cases behind the HTTP API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from services.customer_service.adapters.repositories import (
    ComplaintRepository,
    RemedyPlanRepository,
    ReturnRepository,
    SparePartRepository,
    SurveyRepository,
    TicketRepository,
)
from services.customer_service.adapters.timeline_repository import (
    NoticeRepository,
    TimelineRepository,
)
from services.customer_service.app.deps import Deps, NotFound
from services.customer_service.app.timeline import view
from shared.uow import UnitOfWork


def _public(item: Any) -> dict[str, Any]:
    data = asdict(item)
    data.pop("events", None)
    return data


async def timeline_by_key(uow: UnitOfWork, key: str) -> dict[str, Any]:
    async with uow:
        repo = TimelineRepository(uow.session)
        timeline = await repo.get(key)
        if timeline is None:
            raise NotFound(f"timeline {key}")
        return view(timeline, await repo.entries(key))


async def timeline_by_order_no(uow: UnitOfWork, order_no: str) -> dict[str, Any]:
    async with uow:
        repo = TimelineRepository(uow.session)
        timeline = await repo.by_order_no(order_no)
        if timeline is None:
            raise NotFound(f"order {order_no}")
        return view(timeline, await repo.entries(timeline.key))


async def search_orders(
    uow: UnitOfWork,
    deps: Deps,
    customer_id: str | None,
    stage: str | None,
    late_or_at_risk: bool,
    limit: int,
) -> list[dict[str, Any]]:
    async with uow:
        today = deps.calendar.local_date(uow.clock.now())
        found = await TimelineRepository(uow.session).search(
            customer_id=customer_id,
            stage=stage,
            late_or_at_risk=late_or_at_risk,
            today=today,
            at_risk_days=deps.settings.at_risk_days,
            limit=limit,
        )
    return [
        {
            **{k: v for k, v in view(t, []).items() if k != "history"},
            "late": t.is_late(today),
            "at_risk": t.is_at_risk(today, deps.settings.at_risk_days),
        }
        for t in found
    ]


async def notices(uow: UnitOfWork, subject_id: str | None) -> list[dict[str, Any]]:
    async with uow:
        return await NoticeRepository(uow.session).list(subject_id)


async def complaint(uow: UnitOfWork, complaint_id: UUID) -> dict[str, Any]:
    async with uow:
        repo = ComplaintRepository(uow.session)
        found = await repo.get(complaint_id)
        if found is None:
            raise NotFound(f"complaint {complaint_id}")
        return {**_public(found), "notes": await repo.notes(complaint_id)}


async def complaints(uow: UnitOfWork, status: str | None, category: str | None) -> list[Any]:
    async with uow:
        found = await ComplaintRepository(uow.session).find(status=status, category=category)
        return [_public(c) for c in found]


async def remedy_plan(uow: UnitOfWork, plan_id: UUID) -> dict[str, Any]:
    async with uow:
        plan = await RemedyPlanRepository(uow.session).get(plan_id)
    if plan is None:
        raise NotFound(f"remedy plan {plan_id}")
    return _public(plan)


async def remedy_plans(uow: UnitOfWork, order_id: UUID | None, status: str | None) -> list[Any]:
    async with uow:
        found = await RemedyPlanRepository(uow.session).find(order_id=order_id, status=status)
        return [_public(p) for p in found]


async def returns(uow: UnitOfWork, status: str | None) -> list[dict[str, Any]]:
    async with uow:
        return await ReturnRepository(uow.session).list(status)


async def return_case(uow: UnitOfWork, return_id: UUID) -> dict[str, Any]:
    async with uow:
        found = await ReturnRepository(uow.session).get(return_id)
    if found is None:
        raise NotFound(f"return {return_id}")
    return found


async def ticket(uow: UnitOfWork, ticket_id: UUID) -> dict[str, Any]:
    async with uow:
        found = await TicketRepository(uow.session).get(ticket_id)
    if found is None:
        raise NotFound(f"service ticket {ticket_id}")
    return _public(found)


async def tickets(uow: UnitOfWork, status: str | None) -> list[dict[str, Any]]:
    async with uow:
        found = await TicketRepository(uow.session).find(limit=500, status=status)
    return sorted((_public(t) for t in found), key=lambda t: t["opened_at"], reverse=True)


async def spare_part(uow: UnitOfWork, part_order_id: UUID) -> dict[str, Any]:
    async with uow:
        found = await SparePartRepository(uow.session).get(part_order_id)
    if found is None:
        raise NotFound(f"spare-part order {part_order_id}")
    return found


async def survey(uow: UnitOfWork, survey_id: UUID) -> dict[str, Any]:
    async with uow:
        found = await SurveyRepository(uow.session).get(survey_id)
    if found is None:
        raise NotFound(f"survey {survey_id}")
    return found


async def surveys_for(uow: UnitOfWork, trigger: str, subject: str) -> dict[str, Any]:
    async with uow:
        found = await SurveyRepository(uow.session).by_key(f"{trigger}:{subject}")
    if found is None:
        raise NotFound(f"survey {trigger}:{subject}")
    return found
