"""The carrier: collects a booked shipment, reports scans through the carrier webhook on
simulated time, sometimes loses a parcel for a while (an exception with a later ETA), and
delivers against a signature. Return pickups go the same way back to the warehouse.

The carrier's system posts its scans signed in as itself (``carrier.sim``, a system account),
each report signed with the carrier's secret (``shared.signing``);
the dispatcher records the collection and the tracking number. Who signed for the goods at
the door is what the carrier reports, not who is signed in."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from contracts.roles import Role
from orderflow.carrier_sim import SIMULATED_CARRIER
from orderflow.simulate.polling import until
from orderflow.simulate.world import World

DISPATCH = Role.DISPATCHER
CARRIER = SIMULATED_CARRIER

HOUR = timedelta(hours=1)


async def shipments(world: World, order_id: str) -> list[dict[str, Any]]:
    return list(await world.call("logistics", "GET", f"/orders/{order_id}/shipments", as_=DISPATCH))


async def wait_shipment(world: World, order_id: str, kind: str = "outbound") -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    async def booked() -> bool:
        found[:] = [s for s in await shipments(world, order_id) if s.get("kind", kind) == kind]
        return bool(found)

    await until(
        booked,
        within_s=world.within(timedelta(days=1)),
        every_s=0.5,
        what=f"{kind} shipment booked",
    )
    return found[0]


async def _scan(world: World, shipment: dict[str, Any], step: int, status: str, **kw: Any) -> None:
    body = {
        "carrier": shipment["carrier"],
        "tracking_no": shipment["tracking_no"],
        "scan_id": f"{shipment['tracking_no']}-{step}",
        "status": status,
        "at": world.now().isoformat(),
        "location": kw.pop("location", "Ningbo hub"),
        **kw,
    }
    content = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **world.signed(CARRIER, content)}
    await world.call(
        "logistics", "POST", "/carrier-webhook/scans", content=content, headers=headers, as_=CARRIER
    )


async def carry(
    world: World, shipment_id: str, transit_days: int, lost: bool = False, signer: str = "Li Wei"
) -> dict[str, Any]:
    """Collect, scan in transit, maybe lose and find it, deliver. Returns the shipment."""
    await world.pause(3 * HOUR)
    path = f"/shipments/{shipment_id}"
    await world.call("logistics", "POST", f"{path}/collection", json={}, as_=DISPATCH)
    shipment = await world.call("logistics", "GET", path, as_=DISPATCH)
    if not shipment.get("tracking_no"):
        shipment = await world.call(
            "logistics",
            "POST",
            f"{path}/tracking-number",
            json={"tracking_no": f"SIM{shipment_id.replace('-', '')[:12].upper()}"},
            as_=DISPATCH,
        )
    await _scan(world, shipment, 1, "picked_up")
    await world.pause(6 * HOUR)
    await _scan(world, shipment, 2, "in_transit", location="Hangzhou sorting centre")
    step = 3
    if lost:
        await world.pause(timedelta(days=1))
        eta = shipment.get("eta")
        later = (date.fromisoformat(eta) if eta else world.today()) + timedelta(days=2)
        await _scan(
            world,
            shipment,
            step,
            "exception",
            exception_kind="loss",
            description="parcel not found at sorting centre",
            eta=later.isoformat(),
        )
        await world.pause(timedelta(days=2))
        await _scan(world, shipment, step + 1, "in_transit", description="parcel found")
        step += 2
    await world.pause(max(HOUR, timedelta(days=transit_days) - 6 * HOUR))
    await _scan(world, shipment, step, "out_for_delivery", location="Ningbo depot")
    await world.pause(4 * HOUR)
    await _scan(
        world,
        shipment,
        step + 1,
        "delivered",
        location="customer site",
        signed_by=signer,
        proof_ref=f"POD-{shipment['tracking_no']}",
    )
    return dict(await world.call("logistics", "GET", path, as_=DISPATCH))
