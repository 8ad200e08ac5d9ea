"""Carrier services (dispatch's master data) and the rule's choice for a shipment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.logistics.app.unit import Work
from services.logistics.domain.carriers import CarrierChoice, ShipmentNeeds, choose_carrier
from shared.errors import Conflict, NotFound


async def choose(work: Work, needs: ShipmentNeeds) -> CarrierChoice:
    """The service the rule picks for a shipment booked now, and why."""
    services = await work.carriers.services()
    pickup = work.policy.pickup_date(work.now)
    return choose_carrier(services, needs, pickup, work.policy.calendar)


async def add_service(work: Work, values: dict[str, Any]) -> dict[str, Any]:
    """A new service level of a carrier; 409 when that carrier already has it."""
    new_id = await work.carriers.add(values)
    if new_id is None:
        code, level = values["code"], values["service_level"]
        raise Conflict(f"carrier {code} already has service level {level}")
    return await service(work, new_id)


async def update_service(work: Work, service_id: UUID, changes: dict[str, Any]) -> dict[str, Any]:
    if changes and not await work.carriers.update(service_id, changes):
        raise NotFound("carrier service", service_id)
    return await service(work, service_id)


async def service(work: Work, service_id: UUID) -> dict[str, Any]:
    found = await work.carriers.get(service_id)
    if found is None:
        raise NotFound("carrier service", service_id)
    return found
