"""The audit trail: every change made over HTTP is recorded with the verified person, the server's
time and what was sent, in the change's own transaction; nobody can rewrite it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from contracts.events.warehouse import StockReserved
from contracts.roles import Role
from tests.identity import ISSUER
from tests.integration.warehouse.support import confirmed, order_view, publish, stock_item

AUDITOR = ISSUER.headers("Zhou", Role.AUDITOR)


async def test_a_pick_is_recorded_with_the_person_from_the_token_under_its_order(warehouse, code):
    await stock_item(warehouse, code, ("A1", 5))
    event = confirmed((code, 2))
    await publish(warehouse, event, str(event.order_id))
    await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    view = await order_view(warehouse, event.order_id)
    assert view is not None
    [pick_list] = view["pick_lists"]
    r = await warehouse.http.post(f"/pick-lists/{pick_list['pick_list_id']}/confirm", json={})
    assert r.status_code == 200, r.text

    r = await warehouse.http.get("/audit", params={"order": str(event.order_id)}, headers=AUDITOR)
    assert r.status_code == 200, r.text
    [entry] = [e for e in r.json() if e["action"] == "POST /pick-lists/{pick_list_id}/confirm"]
    assert entry["actor"]["name"] == "Wang"
    assert set(entry["actor"]["roles"]) == {"warehouse", "qc"}
    assert entry["channel"] == "http"
    assert entry["recorded_at"] == warehouse.clock.now().isoformat().replace("+00:00", "Z")
    assert entry["change"]["path"] == {"pick_list_id": pick_list["pick_list_id"]}


async def test_what_was_sent_is_shown_only_to_auditors(warehouse, code):
    r = await warehouse.http.post("/items", json={"product_code": code, "description": "bolt"})
    assert r.status_code == 201
    path = "/items"
    as_storekeeper = (await warehouse.http.get("/audit", params={"order": path})).json()
    as_auditor = (
        await warehouse.http.get("/audit", params={"order": path}, headers=AUDITOR)
    ).json()
    mine = [e for e in as_auditor if e["change"]["body"]["product_code"] == code]
    assert mine and mine[0]["actor"]["name"] == "Wang"
    assert all(e["change"] is None for e in as_storekeeper)


async def test_a_refused_request_leaves_no_entry(warehouse, code):
    r = await warehouse.http.post(
        "/stock/counts", json={"product_code": code, "location": "NOPE", "counted": 1}
    )
    assert r.status_code == 404
    entries = (
        await warehouse.http.get("/audit", params={"order": f"item:{code}"}, headers=AUDITOR)
    ).json()
    assert entries == []


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"]
)
async def test_nobody_rewrites_the_audit_trail(warehouse, statement):
    async with warehouse.runtime.engine.connect() as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            await conn.execute(text(statement))
