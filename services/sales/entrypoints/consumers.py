"""Message handlers: thin, each calls one use case inside the delivery's unit of work. Events
from the other departments keep the order current; commands from departmental systems follow
the same rules as the HTTP API, the sending system acting (a person a command names acts
"on behalf of"). A refusal is dead-lettered with its reason by the kit; nothing here translates
errors.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from contracts.commands.sales import (
    AmendOrder,
    CancelOrder,
    OrderReference,
    RecordPayment,
    SignConfirmation,
    SubmitOrder,
)
from contracts.events.customer_service import (
    ComplaintOpened,
    ComplaintResolved,
    ReturnSettlementRequested,
)
from contracts.events.logistics import GoodsDelivered, GoodsShipped, ShipmentDelayed
from contracts.events.production import ProductionDelayed
from contracts.events.sales import OrderReviewed
from services.sales.app import aftersales, changes, decisions, money, orders
from services.sales.app.unit import Work
from services.sales.domain.order import LineChange
from shared.messaging import HandlerContext, MessageBus
from shared.uow import UnitOfWork


def _ref(cmd: OrderReference) -> UUID | str:
    if cmd.order_id is not None:
        return cmd.order_id
    assert cmd.order_no is not None
    return cmd.order_no


def make_bus(service_name: str, contexts: Callable[[UnitOfWork], Work]) -> MessageBus:
    bus = MessageBus(service_name)

    def work(ctx: HandlerContext) -> Work:
        return contexts(ctx.uow)

    @bus.on_command(SubmitOrder)
    async def on_submit_order(cmd: SubmitOrder, ctx: HandlerContext) -> dict[str, object]:
        # The sending system is the broker's login (or the producer where none was set).
        order, _ = await orders.submit_order(work(ctx), cmd, ctx.uow.actor.name)
        return {"order_id": order.order_id, "order_no": order.order_no, "status": order.status}

    @bus.on_command(AmendOrder)
    async def on_amend_order(cmd: AmendOrder, ctx: HandlerContext) -> dict[str, object]:
        change = changes.Amendment(
            cmd.client_reference,
            cmd.initiated_by,
            [LineChange(ln.line_no, ln.quantity) for ln in cmd.lines],
            cmd.requested_date,
            cmd.delivery_address,
            cmd.reason,
        )
        order, _ = await changes.amend(work(ctx), _ref(cmd), change)
        return {"order_id": order.order_id, "order_no": order.order_no, "status": order.status}

    @bus.on_command(CancelOrder)
    async def on_cancel_order(cmd: CancelOrder, ctx: HandlerContext) -> None:
        await changes.cancel_on_command(
            work(ctx), _ref(cmd), cmd.initiated_by, cmd.reason, cmd.requested_by
        )

    @bus.on_command(SignConfirmation)
    async def on_sign_confirmation(cmd: SignConfirmation, ctx: HandlerContext) -> None:
        await decisions.sign_on_command(
            work(ctx), _ref(cmd), cmd.signed_by, cmd.signed_at, cmd.document_ref
        )

    @bus.on_command(RecordPayment)
    async def on_record_payment(cmd: RecordPayment, ctx: HandlerContext) -> dict[str, object]:
        pay = money.Payment(
            cmd.client_reference,
            cmd.payment_kind,
            cmd.amount,
            cmd.currency,
            cmd.received_on,
            cmd.invoice_no,
        )
        order, _ = await money.record_payment(work(ctx), _ref(cmd), pay, ctx.uow.actor.name)
        return {"order_id": order.order_id, "order_no": order.order_no, "status": order.status}

    @bus.on_event(OrderReviewed)
    async def on_order_reviewed(event: OrderReviewed, ctx: HandlerContext) -> None:
        await orders.record_review(work(ctx), event)

    @bus.on_event(GoodsShipped)
    async def on_goods_shipped(event: GoodsShipped, ctx: HandlerContext) -> None:
        await changes.goods_shipped(work(ctx), event.order_id, ctx.envelope.occurred_at)

    @bus.on_event(GoodsDelivered)
    async def on_goods_delivered(event: GoodsDelivered, ctx: HandlerContext) -> None:
        await money.goods_delivered(work(ctx), event.order_id, event.signed_at)

    @bus.on_event(ProductionDelayed)
    async def on_production_delayed(event: ProductionDelayed, ctx: HandlerContext) -> None:
        await changes.delay_reported(work(ctx), event.order_id, event.new_date, event.reason)

    @bus.on_event(ShipmentDelayed)
    async def on_shipment_delayed(event: ShipmentDelayed, ctx: HandlerContext) -> None:
        await changes.delay_reported(work(ctx), event.order_id, event.new_date, event.reason)

    @bus.on_event(ComplaintOpened)
    async def on_complaint_opened(event: ComplaintOpened, ctx: HandlerContext) -> None:
        await aftersales.complaint_opened(work(ctx), event)

    @bus.on_event(ComplaintResolved)
    async def on_complaint_resolved(event: ComplaintResolved, ctx: HandlerContext) -> None:
        await aftersales.complaint_resolved(work(ctx), event)

    @bus.on_event(ReturnSettlementRequested)
    async def on_return_settlement_requested(
        event: ReturnSettlementRequested, ctx: HandlerContext
    ) -> None:
        await aftersales.return_settlement_requested(work(ctx), event)

    return bus
