"""Message handlers: thin, one use case each, inside the delivery's unit of work.

A refusal a use case raises (no carrier serves the destination, a scan for a shipment logistics
does not know, a delivery without its signatory) is dead-lettered with its reason by the kit;
replay it once a carrier service covers it. Nothing here translates errors.
"""

from __future__ import annotations

from collections.abc import Callable

from contracts.commands.logistics import RecordScan
from contracts.events.customer_service import ReturnAuthorized
from contracts.events.sales import OrderCancelled
from contracts.events.warehouse import GoodsReady
from contracts.status.logistics import ScanSource
from services.logistics.app import booking, tracking
from services.logistics.app.unit import Work
from services.logistics.domain.shipment import Scan
from shared.messaging import HandlerContext, MessageBus
from shared.uow import UnitOfWork


def make_bus(contexts: Callable[[UnitOfWork], Work], service_name: str = "logistics") -> MessageBus:
    bus = MessageBus(service_name)

    def work(ctx: HandlerContext) -> Work:
        return contexts(ctx.uow)

    @bus.on_event(GoodsReady)
    async def on_goods_ready(event: GoodsReady, ctx: HandlerContext) -> None:
        await booking.ship_ready_goods(work(ctx), event)

    @bus.on_event(OrderCancelled)
    async def on_order_cancelled(event: OrderCancelled, ctx: HandlerContext) -> None:
        await booking.cancel_for_order(work(ctx), event)

    @bus.on_event(ReturnAuthorized)
    async def on_return_authorized(event: ReturnAuthorized, ctx: HandlerContext) -> None:
        await booking.book_return_pickup(work(ctx), event)

    @bus.on_command(RecordScan)
    async def on_record_scan(command: RecordScan, ctx: HandlerContext) -> None:
        # A carrier portal reports through the broker: the sender is recorded as who posted it.
        await tracking.record_scan(work(ctx), scan_from(command), ScanSource.COMMAND)

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
