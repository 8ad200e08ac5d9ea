"""Who may do what in production, and who is recorded as having done it.

The planner keeps lines, products and materials; the shop floor reports on work orders, as the
signed-in person (issue 16: the actor comes from the token, never from the body); any
department reads; every change is in the audit trail under the order it touched.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from contracts.commands.production import ReportProgress
from contracts.events.production import ProductionProgressed, ProductionScheduled
from contracts.roles import Role
from tests.harness import send
from tests.identity import ISSUER
from tests.integration.production.builders import (
    confirm_with_shortfall,
    line,
    seed_line,
    seed_product,
)

PLANNER = ISSUER.headers("Qian", Role.PRODUCTION_PLANNER)
OPERATIVE = ISSUER.headers("Sun", Role.SHOP_FLOOR)
SALES = ISSUER.headers("Li", Role.SALES_DESK)
AUDITOR = ISSUER.headers("Zhou", Role.AUDITOR)


async def _work_order(client, spy, channel, ns):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, _ = await confirm_with_shortfall(
        channel, ns, [line(1, "P-100", 30)], date(2026, 12, 31)
    )
    (scheduled,) = await spy.wait_for(ProductionScheduled, correlation_id=str(order_id), timeout=15)
    return order_id, scheduled.work_orders[0]


async def test_only_the_shop_floor_reports_and_only_the_planner_keeps_master_data(
    client, production, spy, amqp_channel, ns
):
    _, wo = await _work_order(client, spy, amqp_channel, ns)
    url = f"/work-orders/{wo.work_order_id}/progress"
    by_planner = await client.post(url, json={"started": True}, headers=PLANNER)
    assert by_planner.status_code == 403
    assert by_planner.json()["roles"] == [Role.SHOP_FLOOR]
    assert (await client.post(url, json={"started": True}, headers=OPERATIVE)).status_code == 200
    line_by_operative = await client.post(
        "/lines", json={"code": "L7", "name": "x", "capacities": []}, headers=OPERATIVE
    )
    assert line_by_operative.status_code == 403
    assert line_by_operative.json()["roles"] == [Role.PRODUCTION_PLANNER]
    for path, body in (
        ("/products/P-100", {"family": "valve"}),
        ("/materials/STEEL", {"on_hand": "1", "unit": "kg"}),
    ):
        refused = await client.put(path, json=body, headers=OPERATIVE)
        assert refused.status_code == 403, path
    assert (await client.get("/products/P-100")).json()["family"] == "pump"
    # Any department may read the plan and the work orders.
    read = await client.get(f"/work-orders/{wo.work_order_id}", headers=SALES)
    assert (read.status_code, read.json()["status"]) == (200, "started")
    assert (await client.get("/schedule", headers=SALES)).status_code == 200
    refused_write = await client.post("/delay-checks", headers=SALES)
    assert refused_write.status_code == 403


async def test_the_reporter_is_the_signed_in_person_never_a_name_in_the_body(
    client, production, spy, amqp_channel, ns
):
    order_id, wo = await _work_order(client, spy, amqp_channel, ns)
    url = f"/work-orders/{wo.work_order_id}/progress"
    typed = await client.post(url, json={"quantity_done": 4, "reported_by": "someone else"})
    assert typed.status_code == 422
    assert typed.json()["field"] == "reported_by"
    done = await client.post(url, json={"quantity_done": 4}, headers=OPERATIVE)
    assert done.status_code == 200, done.text
    (progressed,) = await spy.wait_for(ProductionProgressed, correlation_id=str(order_id))
    assert progressed.reported_by == "Sun"


async def test_a_shop_floor_system_reports_for_the_person_its_command_names(
    client, production, spy, amqp_channel, ns
):
    order_id, wo = await _work_order(client, spy, amqp_channel, ns)
    command = ReportProgress(
        work_order_id=wo.work_order_id,
        quantity_done=6,
        reported_by="Zhou (line 1)",
        reported_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    await send(amqp_channel, ns, command, correlation_id=str(order_id))
    (progressed,) = await spy.wait_for(ProductionProgressed, correlation_id=str(order_id))
    assert progressed.reported_by == "Zhou (line 1)"


async def test_the_audit_trail_lists_who_reported_on_an_order(
    client, production, spy, amqp_channel, ns
):
    order_id, wo = await _work_order(client, spy, amqp_channel, ns)
    url = f"/work-orders/{wo.work_order_id}/progress"
    assert (await client.post(url, json={"quantity_done": 3}, headers=OPERATIVE)).is_success
    refused = await client.post(url, json={"quantity_done": 5}, headers=PLANNER)
    assert refused.status_code == 403
    trail = (await client.get("/audit", params={"order": str(order_id)}, headers=AUDITOR)).json()
    (entry,) = [e for e in trail if e["channel"] == "http"]
    assert entry["actor"]["name"] == "Sun"
    assert entry["actor"]["roles"] == [Role.SHOP_FLOOR]
    assert entry["action"] == "POST /work-orders/{work_order_id}/progress"
    assert entry["change"]["body"] == {"quantity_done": 3}
    assert entry["recorded_at"] == "2026-12-07T02:00:00Z"
    desk_view = (await client.get("/audit", params={"order": str(order_id)}, headers=SALES)).json()
    (seen,) = [e for e in desk_view if e["channel"] == "http"]
    assert seen["actor"]["name"] == "Sun" and seen["change"] is None, "bodies are for auditors"


async def test_materials_received_for_nothing_named_are_refused_naming_the_field(
    client, production
):
    response = await client.post(
        "/material-receipts",
        json={"materials": [{"material_code": "STEEL", "quantity": "1", "unit": "kg"}]},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "requisition_id"
    too_precise = await client.put("/materials/STEEL", json={"on_hand": "1.00001", "unit": "kg"})
    assert too_precise.status_code == 422
    assert too_precise.json()["field"] == "on_hand"
