"""Delays: tell the customer; over 3 business days, a remedy plan awaiting consent."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from contracts.events import OrderCancelled, ProductionDelayed, ShipmentDelayed
from services.customer_service.app.notify import tell
from services.customer_service.app.unit import Work
from services.customer_service.domain.delays import (
    RemedyPlan,
    needs_remedy_plan,
    slip_business_days,
)
from services.customer_service.domain.notices import delay_notice
from shared.errors import NotFound


async def on_delay(work: Work, msg: ProductionDelayed | ShipmentDelayed) -> None:
    timeline = await work.timelines.get(str(msg.order_id))
    promised = timeline.promised_date if timeline else None
    old = msg.old_date or promised
    if old is None:
        # Nothing to measure the delay against yet: tell the customer the new date only.
        await tell(work, delay_notice(str(msg.order_id), msg.order_no, msg.new_date, msg.reason))
        return
    slip = slip_business_days(old, msg.new_date, work.calendar)
    if slip == 0:
        return
    new_delivery = _new_delivery_date(work, msg, promised, slip)
    await tell(work, delay_notice(str(msg.order_id), msg.order_no, new_delivery, msg.reason))
    if not needs_remedy_plan(slip, work.policy.delay_remedy_threshold):
        return
    plan = await work.remedy_plans.open_for_order(msg.order_id)
    due_at = work.policy.remedy_plan_deadline.due(work.now, work.calendar)
    if plan is None:
        plan = RemedyPlan.open(
            plan_id=uuid4(),
            order_id=msg.order_id,
            order_no=msg.order_no,
            old_date=promised or old,
            new_date=new_delivery,
            reason=msg.reason,
            slip_business_days=slip,
            opened_at=work.now,
            due_at=due_at,
        )
        await work.remedy_plans.add(plan)
    elif plan.move_to(new_delivery, msg.reason, slip, due_at):
        await work.remedy_plans.save(plan)
    await work.collect(plan)


def _new_delivery_date(
    work: Work, msg: ProductionDelayed | ShipmentDelayed, promised: date | None, slip: int
) -> date:
    """A shipment delay gives the new arrival day; a production slip moves delivery as much."""
    if isinstance(msg, ShipmentDelayed) or promised is None:
        return msg.new_date
    return work.calendar.add_business_days_to_date(promised, slip)


async def on_cancelled(work: Work, msg: OrderCancelled) -> None:
    plan = await work.remedy_plans.open_for_order(msg.order_id)
    if plan is not None and plan.close_with_order(work.now):
        await work.remedy_plans.save(plan)
        await work.collect(plan)


async def _load(work: Work, plan_id: UUID) -> RemedyPlan:
    plan = await work.remedy_plans.get(plan_id, for_update=True)
    if plan is None:
        raise NotFound("remedy plan", plan_id)
    work.about(plan.order_id)
    return plan


async def propose_remedy(work: Work, plan_id: UUID, remedy: str) -> RemedyPlan:
    """The remedy, filled in by the signed-in person."""
    plan = await _load(work, plan_id)
    plan.propose(remedy, work.actor.name)
    await work.remedy_plans.save(plan)
    return plan


async def record_answer(
    work: Work, plan_id: UUID, consented: bool, customer_name: str
) -> RemedyPlan:
    """The customer's answer, recorded by the signed-in person; the name the customer gave is
    kept as declared. Consent publishes the new date (order.delivery_date_changed)."""
    plan = await _load(work, plan_id)
    if consented:
        plan.consent(customer_name, work.actor.name, work.now)
    else:
        plan.decline(work.actor.name, work.now)
    await work.remedy_plans.save(plan)
    await work.collect(plan)
    return plan
