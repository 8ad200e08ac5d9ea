"""Booking carriers: goods ready to ship, return pickups, and an order cancelled meanwhile."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import structlog

from contracts.events.customer_service import ReturnAuthorized
from contracts.events.logistics import ShipmentCancellationRefused
from contracts.events.sales import OrderCancelled
from contracts.events.warehouse import GoodsReady
from services.logistics.adapters.carriers import BookingRequest
from services.logistics.app.carriers import choose
from services.logistics.app.unit import Work
from services.logistics.domain.carriers import ShipmentNeeds
from services.logistics.domain.errors import IllegalTransition
from services.logistics.domain.shipment import Kind, Shipment, Status

log = structlog.get_logger("orderflow.logistics")


async def _book(
    work: Work, shipment_id: UUID, needs: ShipmentNeeds, package_count: int, city: str
) -> dict[str, Any]:
    """Choose the carrier, book it; the shipment's fields every booking fills the same way."""
    now = work.now
    choice = await choose(work, needs)
    pickup = work.policy.pickup_date(now)
    booking = await work.gateway.book(
        BookingRequest(
            shipment_id=shipment_id,
            carrier=choice.service.code,
            service_level=choice.service.service_level,
            pickup_date=pickup,
            weight_kg=str(needs.weight_kg),
            package_count=package_count,
            destination_city=city,
            destination_country=needs.country,
        )
    )
    tracking_no = booking.tracking_no
    return {
        "id": shipment_id,
        "status": Status.BOOKED,
        "carrier": choice.service.code,
        "service_level": choice.service.service_level,
        "choice_reason": choice.reason,
        "booking_ref": booking.booking_ref,
        "pickup_date": pickup,
        "eta": choice.eta,
        "original_eta": choice.eta,
        "booked_at": now,
        "cost": choice.cost,
        "currency": choice.service.currency,
        "total_weight_kg": needs.weight_kg,
        "package_count": package_count,
        "tracking_no": tracking_no,
        "tracking_url": choice.service.tracking_url(tracking_no) if tracking_no else None,
    }


async def _keep(work: Work, shipment: Shipment) -> Shipment | None:
    """Store a new booking, start its deadlines and tell the others; None when another
    replica's booking for the same subject won."""
    if not await work.shipments.add(shipment):
        return None
    shipment.on_booked(work.policy)
    await work.publish(shipment)
    log.info("shipment_booked", shipment_id=str(shipment.id), reason=shipment.choice_reason)
    return shipment


async def ship_ready_goods(work: Work, event: GoodsReady) -> Shipment | None:
    """goods.ready: choose a carrier by rule, book it, start the pickup deadline."""
    # a cancellation of the order commits first or waits
    await work.shipments.lock_subject(event.order_id)
    if await work.cancelled_orders.is_cancelled(event.order_id):
        log.info("goods_ready_for_cancelled_order_ignored", order_id=str(event.order_id))
        return None
    if any(s.kind == Kind.OUTBOUND for s in await work.shipments.for_order(event.order_id)):
        return None  # this order already has its shipment
    address = event.delivery_address
    needs = ShipmentNeeds(
        address.country, address.region, event.total_weight_kg, event.promised_date, event.rush
    )
    # The same id on a retry, so the carrier (idempotent per shipment id) books once.
    shipment_id = uuid5(NAMESPACE_URL, f"orderflow:logistics:outbound:{event.order_id}")
    booked = await _book(work, shipment_id, needs, len(event.packages), address.city)
    shipment = Shipment(
        **booked,
        kind=Kind.OUTBOUND,
        address=address.model_dump(mode="json"),
        lines=[p.model_dump(mode="json") for p in event.packages],
        order_id=event.order_id,
        order_no=event.order_no,
        promised_date=event.promised_date,
        rush=event.rush,
    )
    return await _keep(work, shipment)


async def book_return_pickup(work: Work, event: ReturnAuthorized) -> Shipment | None:
    """return.authorized: book a carrier to collect the goods at the customer."""
    await work.shipments.lock_subject(event.return_id)
    if await work.shipments.by_return(event.return_id):
        return None
    address = event.pickup_address
    needs = ShipmentNeeds(address.country, address.region, work.return_weight_kg)
    shipment_id = uuid5(NAMESPACE_URL, f"orderflow:logistics:return:{event.return_id}")
    booked = await _book(work, shipment_id, needs, 1, address.city)
    shipment = Shipment(
        **booked,
        kind=Kind.RETURN_PICKUP,
        address=address.model_dump(mode="json"),
        lines=[line.model_dump(mode="json") for line in event.lines],
        order_id=event.order_id,
        order_no=event.order_no,
        return_id=event.return_id,
        rma_no=event.rma_no,
        complaint_id=event.complaint_id,
    )
    return await _keep(work, shipment)


async def cancel_for_order(work: Work, event: OrderCancelled) -> None:
    """order.cancelled: cancel a booking not yet dispatched; after dispatch, say it is refused.

    The order is remembered as cancelled, so a goods.ready that arrives later books nothing.
    """
    now = work.now
    # after a booking in flight for the order commits (or before it starts): never beside it
    await work.shipments.lock_subject(event.order_id)
    await work.cancelled_orders.mark(event.order_id, event.reason, now)
    for shipment in await work.shipments.for_order(event.order_id, lock=True):
        if shipment.kind != Kind.OUTBOUND:
            continue
        try:
            if shipment.cancel(now, f"order cancelled: {event.reason}"):
                await work.gateway.cancel(shipment.carrier, shipment.booking_ref)
                await work.shipments.save(shipment)
        except IllegalTransition as refused:
            # Not a refusal of the message: the carrier has the goods, and sales hears so.
            shipment.events.append(
                ShipmentCancellationRefused(
                    shipment_id=shipment.id,
                    order_id=event.order_id,
                    order_no=shipment.order_no,
                    carrier=shipment.carrier,
                    tracking_no=shipment.tracking_no,
                    status=None if shipment.status == Status.CANCELLED else shipment.status.value,
                    dispatched_at=shipment.dispatched_at,
                    reason=str(refused),
                )
            )
        await work.publish(shipment)
