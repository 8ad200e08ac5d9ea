"""Production's message handlers: thin, one use case each."""

from __future__ import annotations

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
from services.production.app.common import NotFound, Planning
from services.production.domain.work_order import IllegalTransition
from shared.errors import PermanentError
from shared.messaging import HandlerContext, MessageBus


def make_bus(planning: Planning, service_name: str = "production") -> MessageBus:
    bus = MessageBus(service_name)

    @bus.on_event(OrderReviewRequested)
    async def on_order_review_requested(event: OrderReviewRequested, ctx: HandlerContext) -> None:
        await review.request_review(ctx.uow, planning, event, ctx.envelope.event_id)

    @bus.on_event(OrderReviewed)
    async def on_order_reviewed(event: OrderReviewed, ctx: HandlerContext) -> None:
        await review.record_warehouse_review(ctx.uow, planning, event, ctx.envelope.event_id)

    @bus.on_event(OrderConfirmed)
    async def on_order_confirmed(event: OrderConfirmed, ctx: HandlerContext) -> None:
        await scheduling.record_confirmation(ctx.uow, planning, event, ctx.envelope.event_id)

    @bus.on_event(StockReserved)
    async def on_stock_reserved(event: StockReserved, ctx: HandlerContext) -> None:
        await scheduling.record_reservation(ctx.uow, planning, event, ctx.envelope.event_id)

    @bus.on_event(OrderCancelled)
    async def on_order_cancelled(event: OrderCancelled, ctx: HandlerContext) -> None:
        await scheduling.cancel_order(ctx.uow, planning, event, ctx.envelope.event_id)

    @bus.on_event(OrderDeliveryDateChanged)
    async def on_order_delivery_date_changed(
        event: OrderDeliveryDateChanged, ctx: HandlerContext
    ) -> None:
        await scheduling.change_promised_date(ctx.uow, event, ctx.envelope.event_id)

    @bus.on_event(InspectionFailed)
    async def on_inspection_failed(event: InspectionFailed, ctx: HandlerContext) -> None:
        try:
            await scheduling.rework_failed_lot(ctx.uow, planning, event, ctx.envelope.event_id)
        except NotFound as exc:
            raise PermanentError(str(exc)) from exc

    @bus.on_command(ReportProgress)
    async def on_report_progress(command: ReportProgress, ctx: HandlerContext) -> None:
        try:
            await shop_floor.report_progress(
                ctx.uow,
                planning,
                command.work_order_id,
                started=command.started,
                quantity_done=command.quantity_done,
                quantity_scrapped=command.quantity_scrapped,
                complete=command.complete,
                lot_no=command.lot_no,
                reported_by=command.reported_by,
                causation=ctx.envelope.event_id,
            )
        except (NotFound, IllegalTransition, ValueError) as exc:
            raise PermanentError(str(exc)) from exc

    @bus.on_command(ReceiveMaterials)
    async def on_receive_materials(command: ReceiveMaterials, ctx: HandlerContext) -> None:
        if command.work_order_id is None and command.requisition_id is None:
            raise PermanentError("materials received for neither a requisition nor a work order")
        try:
            await shop_floor.receive_materials(
                ctx.uow,
                command.requisition_id,
                command.work_order_id,
                [(m.material_code, m.quantity, m.unit) for m in command.materials],
            )
        except NotFound as exc:
            raise PermanentError(str(exc)) from exc

    return bus
