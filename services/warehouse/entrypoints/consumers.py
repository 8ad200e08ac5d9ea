"""Message handlers: thin, each calls one use case inside the delivery's unit of work.

A refusal a use case raises (an order the warehouse does not know, a step its status does not
allow) is dead-lettered with its reason by the kit; nothing here translates errors.
"""

from __future__ import annotations

from collections.abc import Callable

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
from services.warehouse.app.unit import Work
from shared.messaging import HandlerContext, MessageBus
from shared.uow import UnitOfWork


def make_bus(service_name: str, contexts: Callable[[UnitOfWork], Work]) -> MessageBus:
    bus = MessageBus(service_name)

    def work(ctx: HandlerContext) -> Work:
        return contexts(ctx.uow)

    @bus.on_event(OrderReviewRequested)
    async def on_order_review_requested(event: OrderReviewRequested, ctx: HandlerContext) -> None:
        w = work(ctx)
        await orders.answer_review(w, event, w.now.astimezone(w.policy.tz).date())

    @bus.on_event(OrderConfirmed)
    async def on_order_confirmed(event: OrderConfirmed, ctx: HandlerContext) -> None:
        await orders.reserve_order(work(ctx), event)

    @bus.on_event(OrderAmended)
    async def on_order_amended(event: OrderAmended, ctx: HandlerContext) -> None:
        await orders.amend_order(work(ctx), event)

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
        # A scanner reports for the person named in the command; the time is the server's.
        w = work(ctx)
        f = await picking.resolve_order(w, command.order_id, command.order_no)
        lines = [(x.line_no, x.product_code, x.quantity) for x in command.lines]
        await picking.confirm_pick(w, f, command.pick_list_id, lines, command.picked_by, w.now)

    @bus.on_command(ConfirmPack)
    async def on_confirm_pack(command: ConfirmPack, ctx: HandlerContext) -> None:
        w = work(ctx)
        f = await picking.resolve_order(w, command.order_id, command.order_no)
        await picking.pack_order(w, f, list(command.packages))

    return bus
