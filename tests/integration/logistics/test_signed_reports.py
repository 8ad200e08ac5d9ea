"""A carrier's system signs what it reports (issue 17, item 6): HMAC-SHA256 over the timestamp and
the body with the secret operations gave that carrier, within a replay window. A token alone
(stolen, or leaked from a log) cannot post a delivery; a captured report cannot be posted again
later; a dispatcher typing in what the carrier said is signed in, which is enough."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from contracts.enums import ShipmentStatus
from contracts.roles import Role
from shared.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers
from tests.identity import ISSUER
from tests.integration.logistics.conftest import (
    CARRIER,
    CARRIER_LOGIN,
    CARRIER_SECRET,
    SignedBy,
    goods_ready,
)

SCANS = "/carrier-webhook/scans"


async def _booked(lg) -> dict:
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    return await lg.shipment_of(event.order_id)


def _delivery(shipment: dict, lg, scan_id: str = "d-1") -> dict:
    return {
        "carrier": shipment["carrier"],
        "tracking_no": shipment["tracking_no"],
        "scan_id": scan_id,
        "status": "delivered",
        "at": lg.clock.now().isoformat(),
        "signed_by": "Li Lei",
    }


async def _still_booked(lg, shipment: dict) -> None:
    assert (await lg.shipment(shipment["id"]))["status"] == ShipmentStatus.BOOKED


async def test_a_carrier_report_without_a_signature_is_refused_naming_the_header(
    start_logistics,
):
    lg = await start_logistics()
    shipment = await _booked(lg)
    token_only = ISSUER.headers(CARRIER_LOGIN, Role.CARRIER)
    refused = await lg.http.post(SCANS, json=_delivery(shipment, lg), headers=token_only)
    assert refused.status_code == 401, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["field"] == TIMESTAMP_HEADER
    unsigned = {**token_only, TIMESTAMP_HEADER: str(int(datetime.now(UTC).timestamp()))}
    refused = await lg.http.post(SCANS, json=_delivery(shipment, lg), headers=unsigned)
    assert refused.json()["field"] == SIGNATURE_HEADER
    await _still_booked(lg, shipment)


async def test_a_report_signed_with_another_secret_or_altered_after_signing_is_refused(
    start_logistics,
):
    lg = await start_logistics()
    shipment = await _booked(lg)
    forged = SignedBy(CARRIER_LOGIN, "a guess at the secret")
    refused = await lg.http.post(SCANS, json=_delivery(shipment, lg), auth=forged)
    assert refused.status_code == 401
    assert refused.json()["field"] == SIGNATURE_HEADER
    # signed as an in-transit scan, sent as a delivery
    signed = json.dumps({**_delivery(shipment, lg), "status": "in_transit"}).encode()
    altered = json.dumps(_delivery(shipment, lg)).encode()
    headers = {
        **ISSUER.headers(CARRIER_LOGIN, Role.CARRIER),
        **signed_headers(CARRIER_SECRET, signed, datetime.now(UTC)),
        "Content-Type": "application/json",
    }
    refused = await lg.http.post(SCANS, content=altered, headers=headers)
    assert refused.status_code == 401
    assert refused.json()["field"] == SIGNATURE_HEADER
    await _still_booked(lg, shipment)


async def test_a_report_signed_outside_the_window_is_refused_as_a_replay(start_logistics):
    lg = await start_logistics(carrier_signature_window_s=300)
    shipment = await _booked(lg)
    now = datetime.now(UTC)
    for skew in (timedelta(minutes=-10), timedelta(minutes=10)):
        late = SignedBy(CARRIER_LOGIN, CARRIER_SECRET, at=now + skew)
        refused = await lg.http.post(SCANS, json=_delivery(shipment, lg), auth=late)
        assert refused.status_code == 401, skew
        assert refused.json()["field"] == TIMESTAMP_HEADER
        assert "window" in refused.json()["detail"]
    await _still_booked(lg, shipment)
    # a carrier whose clock is four minutes behind is still inside the window
    slow = SignedBy(CARRIER_LOGIN, CARRIER_SECRET, at=now - timedelta(minutes=4))
    taken = await lg.http.post(SCANS, json=_delivery(shipment, lg), auth=slow)
    assert taken.status_code == 202, taken.text
    assert taken.json()["status"] == ShipmentStatus.DELIVERED


async def test_the_same_signed_report_again_within_the_window_changes_nothing(start_logistics):
    lg = await start_logistics()
    shipment = await _booked(lg)
    content = json.dumps(_delivery(shipment, lg)).encode()
    headers = {
        **ISSUER.headers(CARRIER_LOGIN, Role.CARRIER),
        **signed_headers(CARRIER_SECRET, content, datetime.now(UTC)),
        "Content-Type": "application/json",
    }
    first = await lg.http.post(SCANS, content=content, headers=headers)
    again = await lg.http.post(SCANS, content=content, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202), again.text
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert again.json()["status"] == first.json()["status"] == ShipmentStatus.DELIVERED
    tracking = (await lg.http.get(f"/shipments/{shipment['id']}/tracking")).json()
    assert len(tracking) == 1


async def test_a_carrier_operations_gave_no_secret_is_refused(start_logistics):
    lg = await start_logistics()
    shipment = await _booked(lg)
    stranger = SignedBy("unknown-carrier", CARRIER_SECRET)
    refused = await lg.http.post(SCANS, json=_delivery(shipment, lg), auth=stranger)
    assert refused.status_code == 403
    assert "LOGISTICS_CARRIER_SECRETS" in refused.json()["detail"]
    # and every route a carrier reports through asks for the signature, not only scans
    token_only = ISSUER.headers(CARRIER_LOGIN, Role.CARRIER)
    path = f"/shipments/{shipment['id']}/tracking-number"
    body = {"tracking_no": "ZTO9"}
    assert (await lg.http.post(path, json=body, headers=token_only)).status_code == 401
    # signed, it reaches the shipment (which has its number from the booking already)
    assert (await lg.http.post(path, json=body, auth=CARRIER)).status_code == 409
    path = f"/shipments/{shipment['id']}/collection"
    assert (await lg.http.post(path, json={}, headers=token_only)).status_code == 401
    assert (await lg.http.post(path, json={}, auth=CARRIER)).status_code == 200
