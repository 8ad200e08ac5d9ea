"""What people look up: timelines, notices, complaints, plans, returns, tickets, parts, surveys.

Reads go through here like every other use case, so the HTTP layer never touches a repository.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.customer_service.app.timeline import view
from services.customer_service.app.unit import Work
from services.customer_service.domain.complaints import Complaint
from services.customer_service.domain.delays import RemedyPlan
from services.customer_service.domain.tickets import ServiceTicket, SparePartOrder
from shared.errors import NotFound


async def timeline_by_key(work: Work, key: str) -> dict[str, Any]:
    timeline = await work.timelines.get(key)
    if timeline is None:
        raise NotFound("timeline", key)
    return view(timeline, await work.timelines.entries(key))


async def timeline_by_order_no(work: Work, order_no: str) -> dict[str, Any]:
    timeline = await work.timelines.by_order_no(order_no)
    if timeline is None:
        raise NotFound("order", order_no)
    return view(timeline, await work.timelines.entries(timeline.key))


async def search_orders(
    work: Work, customer_id: str | None, stage: str | None, late_or_at_risk: bool, limit: int
) -> list[dict[str, Any]]:
    """Orders by customer, by stage, or those late or at risk (judged on the local date)."""
    today = work.calendar.local_date(work.now)
    at_risk_days = work.policy.at_risk_days
    found = await work.timelines.search(
        customer_id=customer_id,
        stage=stage,
        late_or_at_risk=late_or_at_risk,
        today=today,
        at_risk_days=at_risk_days,
        limit=limit,
    )
    return [
        {
            **view(t, []),
            "late": t.is_late(today),
            "at_risk": t.is_at_risk(today, at_risk_days),
        }
        for t in found
    ]


async def notices(work: Work, subject_id: str | None) -> list[dict[str, Any]]:
    return await work.notices.list(subject_id)


async def complaint(work: Work, complaint_id: UUID) -> Complaint:
    found = await work.complaints.get(complaint_id)
    if found is None:
        raise NotFound("complaint", complaint_id)
    return found


async def notes(work: Work, complaint_id: UUID) -> list[dict[str, Any]]:
    return await work.complaints.notes(complaint_id)


async def complaints(work: Work, status: str | None, category: str | None) -> list[Complaint]:
    found: list[Complaint] = await work.complaints.find(status=status, category=category)
    return found


async def remedy_plan(work: Work, plan_id: UUID) -> RemedyPlan:
    plan = await work.remedy_plans.get(plan_id)
    if plan is None:
        raise NotFound("remedy plan", plan_id)
    return plan


async def remedy_plans(work: Work, order_id: UUID | None, status: str | None) -> list[RemedyPlan]:
    found: list[RemedyPlan] = await work.remedy_plans.find(order_id=order_id, status=status)
    return found


async def returns(work: Work, status: str | None) -> list[dict[str, Any]]:
    return await work.returns.list(status)


async def return_case(work: Work, return_id: UUID) -> dict[str, Any]:
    found = await work.returns.get(return_id)
    if found is None:
        raise NotFound("return", return_id)
    return found


async def ticket(work: Work, ticket_id: UUID) -> ServiceTicket:
    found = await work.tickets.get(ticket_id)
    if found is None:
        raise NotFound("service ticket", ticket_id)
    return found


async def tickets(work: Work, status: str | None) -> list[ServiceTicket]:
    """Newest first."""
    return await work.tickets.newest(status)


async def spare_part(work: Work, part_order_id: UUID) -> SparePartOrder:
    found = await work.spare_parts.get(part_order_id)
    if found is None:
        raise NotFound("spare-part order", part_order_id)
    return found


async def survey(work: Work, survey_id: UUID) -> dict[str, Any]:
    found = await work.surveys.get(survey_id)
    if found is None:
        raise NotFound("survey", survey_id)
    return found


async def surveys_for(work: Work, trigger: str, subject: str) -> dict[str, Any]:
    found = await work.surveys.by_key(f"{trigger}:{subject}")
    if found is None:
        raise NotFound("survey", f"{trigger}:{subject}")
    return found
