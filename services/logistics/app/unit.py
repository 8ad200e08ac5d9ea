"""What every use case gets: the unit of work's repositories, the time, the actor, the carrier
gateway and the shipping policy. Built per unit of work by the factory ``bootstrap`` makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.logistics.adapters.carriers import CarrierGateway
from services.logistics.adapters.repositories import (
    CancelledOrderRepository,
    CarrierRepository,
    ProofRepository,
    ScanRepository,
    ShipmentRepository,
)
from services.logistics.app.policy import ShippingPolicy
from services.logistics.domain.shipment import Shipment
from shared.auth import Actor
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class Setup:
    """What the use cases need besides the unit of work: the carrier port, the deadline
    rules, and the weight assumed for a return pickup."""

    gateway: CarrierGateway
    policy: ShippingPolicy
    return_weight_kg: Decimal = Decimal("10")


class Work:
    """Repositories over one unit of work; a shipment's events and deadlines go out with it."""

    def __init__(self, uow: UnitOfWork, setup: Setup) -> None:
        self.uow = uow
        self.gateway = setup.gateway
        self.policy = setup.policy
        self.return_weight_kg = setup.return_weight_kg
        self.now: datetime = uow.now
        session = uow.session
        self.shipments = ShipmentRepository(session)
        self.scans = ScanRepository(session)
        self.proofs = ProofRepository(session)
        self.carriers = CarrierRepository(session)
        self.cancelled_orders = CancelledOrderRepository(session)

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    async def publish(self, shipment: Shipment) -> None:
        """Emit what the shipment recorded and set or stop the deadlines it asked for."""
        await self.uow.collect(shipment)
