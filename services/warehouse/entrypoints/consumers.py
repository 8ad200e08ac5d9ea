"""Message handlers: thin, each calls one use case inside the delivery's unit of work."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from contracts.commands.warehouse import ConfirmPack, ConfirmPick
from contracts.events.customer_service import ReturnAuthorized
from contracts.events.logistics import GoodsShipped
from contracts.events.production import ProductionCompleted
from contracts.events.sales import (
    OrderAmended,
    OrderCancelled,
    OrderConfirmed,
    OrderReviewRequested,
)
from contracts.events.warehouse import ReturnReceived
from services.warehouse.app import inbound, orders, picking, returns
from services.warehouse.app.unit import NotFound, Work
from services.warehouse.domain.errors import WarehouseError
from services.warehouse.settings import WarehouseSettings
from shared.errors import PermanentError
from shared.messaging import HandlerContext, MessageBus


def work(ctx: HandlerContext) -> Work:
    return Work(ctx.uow, ctx.emit)


def make_bus(settings: WarehouseSettings) -> MessageBus:
    bus = MessageBus(settings.service_name)
    tz = ZoneInfo(settings.calendar_tz)

    @bus.on_event(OrderReviewRequested)
    async def on_order_review_requested(event: OrderReviewRequested, ctx: HandlerContext) -> None:
        await orders.answer_review(work(ctx), event, ctx.uow.clock.now().astimezone(tz).date())

    @bus.on_event(OrderConfirmed)
    async def on_order_confirmed(event: OrderConfirmed, ctx: HandlerContext) -> None:
        await orders.reserve_order(work(ctx), event)

    @bus.on_event(OrderAmended)
    async def on_order_amended(event: OrderAmended, ctx: HandlerContext) -> None:
        try:
            await orders.amend_order(work(ctx), event)
        except WarehouseError as exc:
            raise PermanentError(str(exc)) from exc

    @bus.on_event(OrderCancelled)
    async def on_order_cancelled(event: OrderCancelled, ctx: HandlerContext) -> None:
        await orders.cancel_order(work(ctx), event)

    @bus.on_event(GoodsShipped)
    async def on_goods_shipped(event: GoodsShipped, ctx: HandlerContext) -> None:
        await orders.mark_shipped(work(ctx), event)

    @bus.on_event(ProductionCompleted)
    async def on_production_completed(event: ProductionCompleted, ctx: HandlerContext) -> None:
        await inbound.open_inspection(work(ctx), event)

    @bus.on_event(ReturnAuthorized)
    async def on_return_authorized(event: ReturnAuthorized, ctx: HandlerContext) -> None:
        await returns.note_authorization(work(ctx), event)

    @bus.on_event(ReturnReceived)
    async def on_return_received(event: ReturnReceived, ctx: HandlerContext) -> None:
        await returns.receive_return(work(ctx), event)

    @bus.on_command(ConfirmPick)
    async def on_confirm_pick(command: ConfirmPick, ctx: HandlerContext) -> None:
        w = work(ctx)
        try:
            f = await picking.resolve_order(w, command.order_id, command.order_no)
            lines = [(x.line_no, x.product_code, x.quantity) for x in command.lines]
            await picking.confirm_pick(
                w, f, command.pick_list_id, lines, command.picked_by, command.picked_at
            )
        except (WarehouseError, NotFound) as exc:
            raise PermanentError(str(exc)) from exc

    @bus.on_command(ConfirmPack)
    async def on_confirm_pack(command: ConfirmPack, ctx: HandlerContext) -> None:
        w = work(ctx)
        try:
            f = await picking.resolve_order(w, command.order_id, command.order_no)
            await picking.pack_order(w, f, list(command.packages))
        except (WarehouseError, NotFound) as exc:
            raise PermanentError(str(exc)) from exc

    return bus
