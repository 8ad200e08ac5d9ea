"""Use cases: load through a repository, call the domain, emit, set timers. The caller commits.

Consumers run inside the unit of work the kit opened for the message; HTTP endpoints open one
and commit it (see ``entrypoints.http``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import structlog

from contracts.events.customer_service import ReturnAuthorized
from contracts.events.logistics import ShipmentCancellationRefused
from contracts.events.sales import OrderCancelled
from contracts.events.warehouse import GoodsReady
from services.logistics.adapters.carriers import BookingRequest, CarrierGateway
from services.logistics.adapters.repositories import (
    CancelledOrderRepository,
    CarrierRepository,
    ProofRepository,
    ScanRepository,
    ShipmentRepository,
)
from services.logistics.app.policy import ShippingPolicy
from services.logistics.domain.carriers import CarrierChoice, ShipmentNeeds, choose_carrier
from services.logistics.domain.shipment import (
    ClearDeadline,
    IllegalTransition,
    Kind,
    Scan,
    Shipment,
    Status,
)
from shared import timers
from shared.uow import UnitOfWork

log = structlog.get_logger("orderflow.logistics")


class NotFound(Exception):
    pass


class InvalidScan(Exception):
    pass


@dataclass
class Logistics:
    """What the use cases need besides the unit of work."""

    gateway: CarrierGateway
    policy: ShippingPolicy
    return_weight_kg: Decimal = Decimal("10")


@dataclass(frozen=True)
class ScanResult:
    shipment_id: UUID
    duplicate: bool
    applied: bool
    status: str


async def _publish(uow: UnitOfWork, shipment: Shipment, causation_id: UUID | None) -> None:
    """Emit what the shipment recorded and write its deadline changes as durable timers."""
    for message in shipment.events:
        await uow.emit(message, correlation_id=shipment.correlation_id, causation_id=causation_id)
    for change in shipment.deadlines:
        if isinstance(change, ClearDeadline):
            await timers.cancel(uow.session, change.key, uow.clock.now())
        else:
            await timers.schedule(
                uow.session, change.key, change.due_at, change.message, shipment.correlation_id
            )
    shipment.events.clear()
    shipment.deadlines.clear()


async def choose(uow: UnitOfWork, deps: Logistics, needs: ShipmentNeeds) -> CarrierChoice:
    services = await CarrierRepository(uow.session).services()
    pickup = deps.policy.pickup_date(uow.clock.now())
    return choose_carrier(services, needs, pickup, deps.policy.calendar)


async def _book(
    uow: UnitOfWork,
    deps: Logistics,
    shipment_id: UUID,
    needs: ShipmentNeeds,
    package_count: int,
    city: str,
) -> dict[str, Any]:
    """Choose the carrier, book it; the shipment's fields every booking fills the same way."""
    now = uow.clock.now()
    choice = await choose(uow, deps, needs)
    pickup = deps.policy.pickup_date(now)
    booking = await deps.gateway.book(
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


async def _keep(
    uow: UnitOfWork,
    deps: Logistics,
    repo: ShipmentRepository,
    shipment: Shipment,
    causation_id: UUID | None,
) -> Shipment | None:
    """Store a new booking, start its deadlines and tell the others; None when another
    replica's booking for the same subject won."""
    if not await repo.add(shipment):
        return None
    shipment.on_booked(deps.policy)
    await _publish(uow, shipment, causation_id)
    log.info("shipment_booked", shipment_id=str(shipment.id), reason=shipment.choice_reason)
    return shipment


async def ship_ready_goods(
    uow: UnitOfWork, deps: Logistics, event: GoodsReady, causation_id: UUID | None = None
) -> Shipment | None:
    """goods.ready: choose a carrier by rule, book it, start the pickup deadline."""
    repo = ShipmentRepository(uow.session)
    await repo.lock_subject(event.order_id)  # a cancellation of the order commits first or waits
    if await CancelledOrderRepository(uow.session).is_cancelled(event.order_id):
        log.info("goods_ready_for_cancelled_order_ignored", order_id=str(event.order_id))
        return None
    if any(s.kind == Kind.OUTBOUND for s in await repo.for_order(event.order_id)):
        return None  # this order already has its shipment
    address = event.delivery_address
    needs = ShipmentNeeds(
        address.country, address.region, event.total_weight_kg, event.promised_date, event.rush
    )
    # The same id on a retry, so the carrier (idempotent per shipment id) books once.
    shipment_id = uuid5(NAMESPACE_URL, f"orderflow:logistics:outbound:{event.order_id}")
    booked = await _book(uow, deps, shipment_id, needs, len(event.packages), address.city)
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
    return await _keep(uow, deps, repo, shipment, causation_id)


async def book_return_pickup(
    uow: UnitOfWork, deps: Logistics, event: ReturnAuthorized, causation_id: UUID | None = None
) -> Shipment | None:
    """return.authorized: book a carrier to collect the goods at the customer."""
    repo = ShipmentRepository(uow.session)
    await repo.lock_subject(event.return_id)
    if await repo.by_return(event.return_id):
        return None
    address = event.pickup_address
    needs = ShipmentNeeds(address.country, address.region, deps.return_weight_kg)
    shipment_id = uuid5(NAMESPACE_URL, f"orderflow:logistics:return:{event.return_id}")
    booked = await _book(uow, deps, shipment_id, needs, 1, address.city)
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
    return await _keep(uow, deps, repo, shipment, causation_id)


async def record_scan(
    uow: UnitOfWork,
    deps: Logistics,
    scan: Scan,
    source: str,
    *,
    causation_id: UUID | None = None,
    document: bytes | None = None,
    content_type: str | None = None,
) -> ScanResult:
    """A carrier scan: deduplicated by (carrier, scan id), applied unless stale."""
    repo = ShipmentRepository(uow.session)
    shipment = await repo.by_tracking(scan.carrier, scan.tracking_no, lock=True)
    if shipment is None:
        raise NotFound(f"no shipment with carrier {scan.carrier} tracking no {scan.tracking_no}")
    if (
        scan.status.value == Status.DELIVERED
        and shipment.kind == Kind.OUTBOUND
        and not (scan.signed_by and scan.signed_by.strip())
    ):
        raise InvalidScan("a delivery scan needs signed_by (who signed for the goods)")
    scans = ScanRepository(uow.session)
    row_id = await scans.add(shipment.id, scan, source, uow.clock.now())
    if row_id is None:
        return ScanResult(shipment.id, True, False, shipment.status.value)
    applied = shipment.apply_scan(scan, deps.policy)
    # saved even when stale: a late pickup scan still moves the dispatch time back
    await repo.save(shipment)
    if applied:
        await scans.mark_applied(row_id)
        if shipment.proof is not None:
            await ProofRepository(uow.session).archive(
                shipment.id, shipment.proof, uow.clock.now(), document, content_type
            )
        await _publish(uow, shipment, causation_id)
    return ScanResult(shipment.id, False, applied, shipment.status.value)


async def _locked(uow: UnitOfWork, shipment_id: UUID) -> tuple[ShipmentRepository, Shipment]:
    repo = ShipmentRepository(uow.session)
    shipment = await repo.get(shipment_id, lock=True)
    if shipment is None:
        raise NotFound(f"no shipment {shipment_id}")
    return repo, shipment


async def confirm_collection(
    uow: UnitOfWork, deps: Logistics, shipment_id: UUID, tracking_no: str | None = None
) -> Shipment:
    """The carrier says it collected the goods (possibly without a tracking number yet)."""
    repo, shipment = await _locked(uow, shipment_id)
    if tracking_no:
        shipment.assign_tracking_number(tracking_no, uow.clock.now())
    shipment.confirm_collection(uow.clock.now(), deps.policy)
    await repo.save(shipment)
    await _publish(uow, shipment, None)
    return shipment


async def assign_tracking_number(
    uow: UnitOfWork, deps: Logistics, shipment_id: UUID, tracking_no: str
) -> Shipment:
    repo, shipment = await _locked(uow, shipment_id)
    if shipment.assign_tracking_number(tracking_no, uow.clock.now()):
        await repo.save(shipment)
        await _publish(uow, shipment, None)
    return shipment


async def cancel_shipment(
    uow: UnitOfWork, deps: Logistics, shipment_id: UUID, reason: str
) -> Shipment:
    """Cancel a booking before dispatch; IllegalTransition after."""
    repo, shipment = await _locked(uow, shipment_id)
    if shipment.cancel(uow.clock.now(), reason):
        await deps.gateway.cancel(shipment.carrier, shipment.booking_ref)
        await repo.save(shipment)
        await _publish(uow, shipment, None)
    return shipment


async def cancel_for_order(
    uow: UnitOfWork, deps: Logistics, event: OrderCancelled, causation_id: UUID | None = None
) -> None:
    """order.cancelled: cancel a booking not yet dispatched; after dispatch, say it is refused.

    The order is remembered as cancelled, so a goods.ready that arrives later books nothing.
    """
    now = uow.clock.now()
    repo = ShipmentRepository(uow.session)
    # after a booking in flight for the order commits (or before it starts): never beside it
    await repo.lock_subject(event.order_id)
    await CancelledOrderRepository(uow.session).mark(event.order_id, event.reason, now)
    for shipment in await repo.for_order(event.order_id, lock=True):
        if shipment.kind != Kind.OUTBOUND:
            continue
        try:
            if shipment.cancel(now, f"order cancelled: {event.reason}"):
                await deps.gateway.cancel(shipment.carrier, shipment.booking_ref)
                await repo.save(shipment)
        except IllegalTransition as refused:
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
        await _publish(uow, shipment, causation_id)
