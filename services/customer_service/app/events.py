"""One use case for every incoming event: fold it into the timeline, then react to it."""

from __future__ import annotations

from contracts.base import Message
from contracts.enums import SurveyTrigger
from contracts.envelope import Envelope
from contracts.events import (
    ComplaintSlaBreached,
    GoodsDelivered,
    OrderCancelled,
    ProductionDelayed,
    ReturnInspected,
    ReturnReceived,
    ShipmentDelayed,
)
from services.customer_service.app import complaints, delays, returns
from services.customer_service.app.notify import tell
from services.customer_service.app.surveys import send_survey
from services.customer_service.app.timeline import project
from services.customer_service.app.unit import Work
from services.customer_service.domain.notices import notice_for


async def handle_event(work: Work, envelope: Envelope, msg: Message) -> None:
    """Runs inside the consumer's unit of work (the inbox already deduplicated the event)."""
    if not await project(work, envelope, msg):
        return  # this very event was handled before: react once
    notice = notice_for(msg)
    if notice is not None:
        await tell(work, notice)
    match msg:
        case ProductionDelayed() | ShipmentDelayed():
            await delays.on_delay(work, msg)
        case OrderCancelled():
            await delays.on_cancelled(work, msg)
        case GoodsDelivered():
            await _survey_after_delivery(work, msg)
        case ReturnReceived():
            await returns.on_return_received(work, msg)
        case ReturnInspected():
            await returns.on_return_inspected(work, msg)
        case ComplaintSlaBreached():
            await complaints.on_breach(work, msg)


async def _survey_after_delivery(work: Work, msg: GoodsDelivered) -> None:
    timeline = await work.timelines.get(str(msg.order_id))
    customer = (timeline.customer_id if timeline else None) or "unknown"
    await send_survey(
        work,
        SurveyTrigger.DELIVERY,
        str(msg.order_id),
        customer,
        str(msg.order_id),
        order_id=msg.order_id,
        order_no=msg.order_no,
    )
