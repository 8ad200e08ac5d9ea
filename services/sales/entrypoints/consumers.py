"""Message handlers: thin, one use case each. Events from the other departments keep the
order current; commands from departmental systems follow the same rules as the HTTP API."""

from __future__ import annotations

from uuid import UUID

import structlog

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
from services.sales.app import aftersales, money, orders
from services.sales.app.common import NotFound
from services.sales.domain.errors import IllegalTransition, InvalidChange
from services.sales.domain.order import LineChange, OrderStatus
from services.sales.domain.policy import SalesPolicy
from services.sales.settings import SalesSettings
from shared.errors import PermanentError
from shared.messaging import HandlerContext, MessageBus

log = structlog.get_logger("orderflow.sales")


def _ref(cmd: OrderReference) -> UUID | str:
    if cmd.order_id is not None:
        return cmd.order_id
    assert cmd.order_no is not None
    return cmd.order_no


def make_bus(name: str, policy: SalesPolicy, settings: SalesSettings) -> MessageBus:
    bus = MessageBus(name)

    @bus.on_command(SubmitOrder)
    async def on_submit_order(cmd: SubmitOrder, ctx: HandlerContext) -> None:
        await orders.submit_order(
            ctx.uow, policy, cmd, ctx.envelope.producer, settings.default_currency
        )

    @bus.on_command(AmendOrder)
    async def on_amend_order(cmd: AmendOrder, ctx: HandlerContext) -> None:
        change = orders.Amendment(
            cmd.client_reference,
            cmd.initiated_by,
            [LineChange(ln.line_no, ln.quantity) for ln in cmd.lines],
            cmd.requested_date,
            cmd.delivery_address,
            cmd.reason,
        )
        async with _command_rules():
            await orders.amend(ctx.uow, policy, _ref(cmd), change, ctx.envelope.event_id)

    @bus.on_command(CancelOrder)
    async def on_cancel_order(cmd: CancelOrder, ctx: HandlerContext) -> None:
        try:
            order = await orders.load_order(ctx.uow, _ref(cmd), lock=False)
        except NotFound as exc:
            raise PermanentError(str(exc)) from exc
        if order.status == OrderStatus.CANCELLED:
            return  # the same cancellation again: already done
        async with _command_rules():
            await orders.cancel(
                ctx.uow,
                order.order_id,
                cmd.initiated_by,
                cmd.reason,
                cmd.requested_by,
                ctx.envelope.event_id,
            )

    @bus.on_command(SignConfirmation)
    async def on_sign_confirmation(cmd: SignConfirmation, ctx: HandlerContext) -> None:
        try:
            order = await orders.load_order(ctx.uow, _ref(cmd), lock=False)
        except NotFound as exc:
            raise PermanentError(str(exc)) from exc
        if order.signed_at is not None:
            return  # signed already: a repeated command changes nothing
        async with _command_rules():
            await orders.sign(
                ctx.uow,
                policy,
                order.order_id,
                cmd.signed_by,
                cmd.signed_at,
                cmd.document_ref,
                ctx.envelope.event_id,
            )

    @bus.on_command(RecordPayment)
    async def on_record_payment(cmd: RecordPayment, ctx: HandlerContext) -> None:
        pay = money.Payment(
            cmd.client_reference,
            cmd.payment_kind,
            cmd.amount,
            cmd.currency,
            cmd.received_on,
            cmd.invoice_no,
        )
        async with _command_rules():
            await money.record_payment(
                ctx.uow,
                policy,
                _ref(cmd),
                pay,
                ctx.envelope.producer,
                ctx.envelope.event_id,
            )

    @bus.on_event(OrderReviewed)
    async def on_order_reviewed(event: OrderReviewed, ctx: HandlerContext) -> None:
        await orders.record_review(ctx.uow, policy, event, ctx.envelope.event_id)

    @bus.on_event(GoodsShipped)
    async def on_goods_shipped(event: GoodsShipped, ctx: HandlerContext) -> None:
        await orders.goods_shipped(
            ctx.uow, event.order_id, ctx.envelope.occurred_at, ctx.envelope.event_id
        )

    @bus.on_event(GoodsDelivered)
    async def on_goods_delivered(event: GoodsDelivered, ctx: HandlerContext) -> None:
        await money.goods_delivered(
            ctx.uow, policy, event.order_id, event.signed_at, ctx.envelope.event_id
        )

    @bus.on_event(ProductionDelayed)
    async def on_production_delayed(event: ProductionDelayed, ctx: HandlerContext) -> None:
        await orders.delay_reported(
            ctx.uow, policy, event.order_id, event.new_date, event.reason, ctx.envelope.event_id
        )

    @bus.on_event(ShipmentDelayed)
    async def on_shipment_delayed(event: ShipmentDelayed, ctx: HandlerContext) -> None:
        await orders.delay_reported(
            ctx.uow, policy, event.order_id, event.new_date, event.reason, ctx.envelope.event_id
        )

    @bus.on_event(ComplaintOpened)
    async def on_complaint_opened(event: ComplaintOpened, ctx: HandlerContext) -> None:
        await aftersales.complaint_opened(ctx.uow, event)

    @bus.on_event(ComplaintResolved)
    async def on_complaint_resolved(event: ComplaintResolved, ctx: HandlerContext) -> None:
        await aftersales.complaint_resolved(ctx.uow, policy, event, ctx.envelope.event_id)

    @bus.on_event(ReturnSettlementRequested)
    async def on_return_settlement_requested(
        event: ReturnSettlementRequested, ctx: HandlerContext
    ) -> None:
        await aftersales.return_settlement_requested(ctx.uow, policy, event, ctx.envelope.event_id)

    return bus


class _command_rules:
    """A command the order's state does not allow can never succeed: dead-letter it with the
    reason, where an operator sees it."""

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, IllegalTransition | InvalidChange | NotFound):
            raise PermanentError(str(exc)) from exc
