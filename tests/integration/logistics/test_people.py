"""Who may do what in logistics, and who is recorded as having done it.

Dispatch keeps carriers and cancels bookings; what happens on the road comes from the carrier's
system (or a dispatcher recording what the carrier said): a delivery, above all, is posted by
nobody else (issue 16: anyone could post a ``delivered`` scan). The customer's signatory is
as the carrier declares it; who posted the delivery and when it was recorded are the token's
and the server's. The built-in carrier simulator exists only where switched on, for operators.
"""

from __future__ import annotations

from datetime import timedelta

from contracts.commands.logistics import RecordScan
from contracts.enums import ShipmentStatus
from contracts.events.logistics import GoodsDelivered
from contracts.roles import Role
from services.logistics.main import routers
from services.logistics.settings import LogisticsSettings
from shared.http import create_app
from tests.harness import eventually
from tests.identity import ISSUER
from tests.integration.logistics.conftest import CARRIER, DISPATCHER, OPERATOR, goods_ready

NEXT_SCAN = "/simulator/shipments/{shipment_id}/next-scan"
ANONYMOUS = {"Authorization": ""}  # the test client signs in as a dispatcher unless told


def _delivery(shipment: dict, scan_id: str, at: str) -> dict:
    return {
        "carrier": shipment["carrier"],
        "tracking_no": shipment["tracking_no"],
        "scan_id": scan_id,
        "status": "delivered",
        "at": at,
        "signed_by": "Li Lei",
    }


async def test_only_the_carrier_or_a_dispatcher_posts_a_delivery(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    body = _delivery(shipment, "d-1", lg.clock.now().isoformat())
    for name, role in (
        ("Wang", Role.WAREHOUSE),
        ("Chen", Role.AFTER_SALES),
        ("Li", Role.SALES_DESK),
        ("ops", Role.OPERATOR),
    ):
        refused = await lg.http.post(
            "/carrier-webhook/scans", json=body, headers=ISSUER.headers(name, role)
        )
        assert refused.status_code == 403, role
        assert refused.json()["roles"] == [Role.CARRIER, Role.DISPATCHER]
    anonymous = await lg.http.post("/carrier-webhook/scans", json=body, headers=ANONYMOUS)
    assert anonymous.status_code == 401
    assert (await lg.shipment(shipment["id"]))["status"] == "booked"
    # Nor may anyone else confirm the carrier has the goods, or give its tracking number.
    other = ISSUER.headers("Wang", Role.WAREHOUSE)
    collected = await lg.http.post(
        f"/shipments/{shipment['id']}/collection", json={}, headers=other
    )
    assert collected.status_code == 403
    by_dispatcher = await lg.http.post("/carrier-webhook/scans", json=body, headers=DISPATCHER)
    assert by_dispatcher.status_code == 202, by_dispatcher.text
    assert by_dispatcher.json()["status"] == "delivered"


async def test_the_proof_keeps_the_declared_signatory_and_who_posted_it_when(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    scanned_at = lg.clock.now()
    lg.clock.advance(timedelta(hours=2))  # the carrier's system reports two hours late
    body = {**_delivery(shipment, "d-1", scanned_at.isoformat()), "recorded_by": "someone"}
    typed = await lg.http.post("/carrier-webhook/scans", json=body, auth=CARRIER)
    assert typed.status_code == 422
    assert typed.json()["field"] == "recorded_by"
    body.pop("recorded_by")
    posted = await lg.http.post("/carrier-webhook/scans", json=body, auth=CARRIER)
    assert posted.status_code == 202, posted.text
    [delivered] = await lg.spy.wait_for(GoodsDelivered, correlation_id=order)
    assert (delivered.signed_by, delivered.signed_at) == ("Li Lei", scanned_at)
    proof = (await lg.http.get(f"/shipments/{shipment['id']}/proof")).json()
    assert proof["signed_by"] == "Li Lei"  # as the carrier declares
    assert proof["signed_at"] == scanned_at.isoformat().replace("+00:00", "Z")
    assert proof["recorded_by"] == "zto-gateway"  # the token's, not the body's
    assert proof["archived_at"] == lg.clock.now().isoformat().replace("+00:00", "Z")
    [scan] = (await lg.http.get(f"/shipments/{shipment['id']}/tracking")).json()
    assert scan["recorded_by"] == "zto-gateway"
    # The signed note names a person at the customer: not every department reads it.
    planner = ISSUER.headers("Qian", Role.PRODUCTION_PLANNER)
    refused = await lg.http.get(f"/shipments/{shipment['id']}/proof", headers=planner)
    assert refused.status_code == 403
    after_sales = ISSUER.headers("Chen", Role.AFTER_SALES)
    read = await lg.http.get(f"/shipments/{shipment['id']}/proof", headers=after_sales)
    assert read.status_code == 200
    trail = (await lg.http.get("/audit", params={"order": order})).json()
    [entry] = [e for e in trail if e["action"] == "POST /carrier-webhook/scans"]
    assert (entry["actor"]["name"], entry["actor"]["roles"]) == ("zto-gateway", [Role.CARRIER])


async def test_a_scan_by_command_is_recorded_as_its_sender(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    scan = RecordScan(
        carrier=shipment["carrier"],
        tracking_no=shipment["tracking_no"],
        scan_id="c-1",
        status=ShipmentStatus.PICKED_UP,
        at=lg.clock.now(),
    )
    await lg.send(scan, order, producer="zto-portal")

    async def recorded() -> bool:
        return bool((await lg.http.get(f"/shipments/{shipment['id']}/tracking")).json())

    await eventually(recorded, timeout=15)
    [row] = (await lg.http.get(f"/shipments/{shipment['id']}/tracking")).json()
    assert (row["source"], row["recorded_by"]) == ("command", "zto-portal")


async def test_dispatch_keeps_the_carriers_and_cancels_bookings(start_logistics):
    lg = await start_logistics()
    carrier_system = await lg.http.patch(
        "/carriers/00000000-0000-0000-0000-000000000001", json={"active": False}, auth=CARRIER
    )
    assert carrier_system.status_code == 403
    assert carrier_system.json()["roles"] == [Role.DISPATCHER]
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    url = f"/shipments/{shipment['id']}/cancel"
    refused = await lg.http.post(url, json={"reason": "x"}, auth=CARRIER)
    assert refused.status_code == 403
    # Any department may look a shipment up, and ask which carrier the rule would choose.
    sales = ISSUER.headers("Li", Role.SALES_DESK)
    assert (await lg.http.get(f"/shipments/{shipment['id']}", headers=sales)).status_code == 200
    quote = await lg.http.post("/carriers/quote", json={"weight_kg": "5"}, headers=sales)
    assert quote.status_code == 200


async def test_the_simulator_is_not_served_unless_switched_on(start_logistics):
    """Issue 16 item 8: the built-in carrier's routes exist only when explicitly enabled."""
    assert LogisticsSettings.model_fields["simulator_routes"].default is False
    lg = await start_logistics(simulator_routes=False)
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    absent = await lg.next_scan(shipment["id"])
    assert absent.status_code == 404
    app = create_app(
        lg.runtime, routers(LogisticsSettings(simulator_routes=False)), manage_runtime=False
    )
    assert NEXT_SCAN not in app.openapi()["paths"]
    assert (await lg.shipment(shipment["id"]))["status"] == "booked"


async def test_when_switched_on_the_simulator_is_for_operators_only(start_logistics):
    lg = await start_logistics(simulator_routes=True)
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    url = NEXT_SCAN.format(shipment_id=shipment["id"])
    assert (await lg.http.post(url, json={}, headers=ANONYMOUS)).status_code == 401
    for who in ({"headers": DISPATCHER}, {"auth": CARRIER}):
        refused = await lg.http.post(url, json={}, **who)
        assert refused.status_code == 403
        assert refused.json()["roles"] == [Role.OPERATOR]
    moved = await lg.http.post(url, json={}, headers=OPERATOR)
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "picked_up"
    served = create_app(
        lg.runtime, routers(LogisticsSettings(simulator_routes=True)), manage_runtime=False
    )
    assert NEXT_SCAN in served.openapi()["paths"]
