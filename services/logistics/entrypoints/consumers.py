"""Message handlers: thin, one use case each."""

from __future__ import annotations

from contracts.commands.logistics import RecordScan
from contracts.events.customer_service import ReturnAuthorized
from contracts.events.sales import OrderCancelled
from contracts.events.warehouse import GoodsReady
from services.logistics.app import use_cases
from services.logistics.app.use_cases import InvalidScan, Logistics, NotFound
from services.logistics.domain.carriers import NoCarrierAvailable
from services.logistics.domain.shipment import Scan
from shared.errors import PermanentError
from shared.messaging import HandlerContext, MessageBus


def make_bus(deps: Logistics) -> MessageBus:
    bus = MessageBus("logistics")

    @bus.on_event(GoodsReady)
    async def on_goods_ready(event: GoodsReady, ctx: HandlerContext) -> None:
        try:
            await use_cases.ship_ready_goods(ctx.uow, deps, event, ctx.envelope.event_id)
        except NoCarrierAvailable as exc:
            # Dead-lettered with the reason; replay once a carrier service covers it.
            raise PermanentError(str(exc)) from exc

    @bus.on_event(OrderCancelled)
    async def on_order_cancelled(event: OrderCancelled, ctx: HandlerContext) -> None:
        await use_cases.cancel_for_order(ctx.uow, deps, event, ctx.envelope.event_id)

    @bus.on_event(ReturnAuthorized)
    async def on_return_authorized(event: ReturnAuthorized, ctx: HandlerContext) -> None:
        try:
            await use_cases.book_return_pickup(ctx.uow, deps, event, ctx.envelope.event_id)
        except NoCarrierAvailable as exc:
            raise PermanentError(str(exc)) from exc

    @bus.on_command(RecordScan)
    async def on_record_scan(command: RecordScan, ctx: HandlerContext) -> None:
        try:
            await use_cases.record_scan(
                ctx.uow, deps, scan_from(command), "command", causation_id=ctx.envelope.event_id
            )
        except (NotFound, InvalidScan) as exc:
            raise PermanentError(str(exc)) from exc

    return bus


def scan_from(command: RecordScan) -> Scan:
    return Scan(
        carrier=command.carrier,
        tracking_no=command.tracking_no,
        scan_id=command.scan_id,
        status=command.status,
        at=command.at,
        location=command.location,
        description=command.description,
        eta=command.eta,
        exception_kind=command.exception_kind,
        signed_by=command.signed_by,
        proof_ref=command.proof_ref,
    )
