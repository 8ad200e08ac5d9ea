"""Production's message handlers: thin, one use case each, inside the delivery's unit of work.

A refusal a use case raises (a work order production does not know, a step its status does not
allow) is dead-lettered with its reason by the kit; nothing here translates errors.
"""

from __future__ import annotations

from collections.abc import Callable

from contracts.commands.production import ReceiveMaterials, ReportProgress
from contracts.events.sales import (
    OrderCancelled,
    OrderConfirmed,
    OrderDeliveryDateChanged,
    OrderReviewed,
    OrderReviewRequested,
)
from contracts.events.warehouse import InspectionFailed, StockReserved
from services.production.app import review, scheduling, shop_floor
from services.production.app.unit import Work
from shared.messaging import HandlerContext, MessageBus
from shared.uow import UnitOfWork


def make_bus(service_name: str, contexts: Callable[[UnitOfWork], Work]) -> MessageBus:
    bus = MessageBus(service_name)

    def work(ctx: HandlerContext) -> Work:
        return contexts(ctx.uow)

    @bus.on_event(OrderReviewRequested)
    async def on_order_review_requested(event: OrderReviewRequested, ctx: HandlerContext) -> None:
        await review.request_review(work(ctx), event)

    @bus.on_event(OrderReviewed)
    async def on_order_reviewed(event: OrderReviewed, ctx: HandlerContext) -> None:
        await review.record_warehouse_review(work(ctx), event)

    @bus.on_event(OrderConfirmed)
    async def on_order_confirmed(event: OrderConfirmed, ctx: HandlerContext) -> None:
        await scheduling.record_confirmation(work(ctx), event)

    @bus.on_event(StockReserved)
    async def on_stock_reserved(event: StockReserved, ctx: HandlerContext) -> None:
        await scheduling.record_reservation(work(ctx), event)

    @bus.on_event(OrderCancelled)
    async def on_order_cancelled(event: OrderCancelled, ctx: HandlerContext) -> None:
        await scheduling.cancel_order(work(ctx), event)

    @bus.on_event(OrderDeliveryDateChanged)
    async def on_order_delivery_date_changed(
        event: OrderDeliveryDateChanged, ctx: HandlerContext
    ) -> None:
        await scheduling.change_promised_date(work(ctx), event)

    @bus.on_event(InspectionFailed)
    async def on_inspection_failed(event: InspectionFailed, ctx: HandlerContext) -> None:
        await scheduling.rework_failed_lot(work(ctx), event)

    @bus.on_command(ReportProgress)
    async def on_report_progress(command: ReportProgress, ctx: HandlerContext) -> None:
        # A shop-floor system reports for the person named in the command; the time is ours.
        await shop_floor.report_progress(
            work(ctx),
            command.work_order_id,
            started=command.started,
            quantity_done=command.quantity_done,
            quantity_scrapped=command.quantity_scrapped,
            complete=command.complete,
            lot_no=command.lot_no,
            reported_by=command.reported_by,
        )

    @bus.on_command(ReceiveMaterials)
    async def on_receive_materials(command: ReceiveMaterials, ctx: HandlerContext) -> None:
        await shop_floor.receive_materials(
            work(ctx),
            command.requisition_id,
            command.work_order_id,
            [(m.material_code, m.quantity, m.unit) for m in command.materials],
        )

    return bus
