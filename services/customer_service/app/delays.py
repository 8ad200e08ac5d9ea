"""Delays: tell the customer; over 3 business days, a remedy plan awaiting consent."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from contracts.enums import Deadline
from contracts.events import OrderCancelled, OrderSlaBreached, ProductionDelayed, ShipmentDelayed
from services.customer_service.adapters.repositories import RemedyPlanRepository
from services.customer_service.adapters.timeline_repository import TimelineRepository
from services.customer_service.app.deps import Deps, NotFound, emit_all
from services.customer_service.app.notify import tell
from services.customer_service.domain.delays import (
    RemedyPlan,
    needs_remedy_plan,
    slip_business_days,
)
from services.customer_service.domain.notices import delay_notice
from shared import timers
from shared.uow import UnitOfWork


def _timer_key(plan_id: UUID) -> str:
    return f"remedy:{plan_id}"


def _breach(plan: RemedyPlan) -> OrderSlaBreached:
    return OrderSlaBreached(
        deadline=Deadline.DELAY_CONSENT,
        subject_id=str(plan.plan_id),
        subject_no=plan.order_no,
        order_id=plan.order_id,
        due_at=plan.due_at,
        breached_at=plan.due_at,
        details=f"no agreed remedy for the delay to {plan.new_date}",
    )


async def on_delay(uow: UnitOfWork, deps: Deps, msg: ProductionDelayed | ShipmentDelayed) -> None:
    timeline = await TimelineRepository(uow.session).get(str(msg.order_id))
    promised = timeline.promised_date if timeline else None
    old = msg.old_date or promised
    if old is None:
        # Nothing to measure the delay against yet: tell the customer the new date only.
        await tell(
            uow, deps, delay_notice(str(msg.order_id), msg.order_no, msg.new_date, msg.reason)
        )
        return
    slip = slip_business_days(old, msg.new_date, deps.calendar)
    if slip == 0:
        return
    new_delivery = _new_delivery_date(msg, promised, slip, deps)
    await tell(uow, deps, delay_notice(str(msg.order_id), msg.order_no, new_delivery, msg.reason))
    if not needs_remedy_plan(slip, deps.settings.delay_remedy_threshold_business_days):
        return
    repo = RemedyPlanRepository(uow.session)
    plan = await repo.open_for_order(msg.order_id)
    now = uow.clock.now()
    if plan is None:
        plan = RemedyPlan(
            plan_id=uuid4(),
            order_id=msg.order_id,
            order_no=msg.order_no,
            old_date=promised or old,
            new_date=new_delivery,
            reason=msg.reason,
            slip_business_days=slip,
            opened_at=now,
            due_at=deps.settings.remedy_plan_deadline.due(now, deps.calendar),
        )
        await repo.add(plan)
    elif plan.move_to(new_delivery, msg.reason, slip):
        plan.due_at = deps.settings.remedy_plan_deadline.due(now, deps.calendar)
        await repo.save(plan)
    else:
        return
    breach = _breach(plan)
    await timers.schedule(
        uow.session, _timer_key(plan.plan_id), plan.due_at, breach, str(plan.order_id)
    )


def _new_delivery_date(
    msg: ProductionDelayed | ShipmentDelayed, promised: date | None, slip: int, deps: Deps
) -> date:
    """A shipment delay gives the new arrival day; a production slip moves delivery as much."""
    if isinstance(msg, ShipmentDelayed) or promised is None:
        return msg.new_date
    return deps.calendar.add_business_days_to_date(promised, slip)


async def on_cancelled(uow: UnitOfWork, msg: OrderCancelled) -> None:
    repo = RemedyPlanRepository(uow.session)
    plan = await repo.open_for_order(msg.order_id)
    if plan is not None and plan.cancel(uow.clock.now()):
        await repo.save(plan)
        await timers.cancel(uow.session, _timer_key(plan.plan_id), uow.clock.now())


async def _load(repo: RemedyPlanRepository, plan_id: UUID) -> RemedyPlan:
    plan = await repo.get(plan_id, for_update=True)
    if plan is None:
        raise NotFound(f"remedy plan {plan_id}")
    return plan


async def propose_remedy(uow: UnitOfWork, plan_id: UUID, remedy: str, filled_by: str) -> RemedyPlan:
    async with uow:
        repo = RemedyPlanRepository(uow.session)
        plan = await _load(repo, plan_id)
        plan.propose(remedy, filled_by)
        await repo.save(plan)
        await uow.commit()
        return plan


async def record_consent(uow: UnitOfWork, plan_id: UUID, consented: bool, by: str) -> RemedyPlan:
    """The customer's answer; consent publishes the new date (order.delivery_date_changed)."""
    async with uow:
        repo = RemedyPlanRepository(uow.session)
        plan = await _load(repo, plan_id)
        if consented:
            plan.consent(by, uow.clock.now())
            await timers.cancel(uow.session, _timer_key(plan_id), uow.clock.now())
        else:
            plan.decline()
        await repo.save(plan)
        await emit_all(uow, plan.events, str(plan.order_id))
        await uow.commit()
        return plan
