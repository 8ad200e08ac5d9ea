"""Shop-floor reporting over HTTP and the command queue, QC rework, materials, delays."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from contracts.commands.production import ReceiveMaterials, ReportProgress
from contracts.common import MaterialLine
from contracts.enums import DelayCause, QcDisposition
from contracts.events.production import (
    MaterialRequisitioned,
    ProductionCompleted,
    ProductionDelayed,
    ProductionProgressed,
    ProductionScheduled,
)
from contracts.events.warehouse import InspectionFailed
from tests.harness import eventually, send
from tests.integration.production.builders import (
    confirm_with_shortfall,
    line,
    seed_line,
    seed_product,
)


async def _one_work_order(client, spy, channel, ns, quantity=30, promised=date(2026, 12, 31)):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, _ = await confirm_with_shortfall(channel, ns, [line(1, "P-100", quantity)], promised)
    (scheduled,) = await spy.wait_for(ProductionScheduled, correlation_id=str(order_id), timeout=15)
    return order_id, scheduled.work_orders[0]


async def test_completion_over_http_emits_completed_with_quantity_and_lot(
    client, production, spy, amqp_channel, ns
):
    order_id, wo = await _one_work_order(client, spy, amqp_channel, ns)
    url = f"/work-orders/{wo.work_order_id}/progress"
    started = await client.post(url, json={"started": True})
    assert started.json()["status"] == "started"
    await client.post(url, json={"quantity_done": 20, "quantity_scrapped": 1})
    # An older report arriving late never lowers the cumulative figures.
    stale = await client.post(url, json={"quantity_done": 12})
    assert stale.json()["quantity_done"] == 20
    done = await client.post(
        url, json={"quantity_done": 29, "quantity_scrapped": 1, "complete": True, "lot_no": "LOT-1"}
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    (completed,) = await spy.wait_for(ProductionCompleted, correlation_id=str(order_id), timeout=15)
    assert (completed.quantity, completed.quantity_scrapped, completed.lot_no) == (29, 1, "LOT-1")
    assert completed.work_order_no == wo.work_order_no
    progressed = await spy.wait_for(ProductionProgressed, 3, correlation_id=str(order_id))
    assert [p.quantity_done for p in progressed][:2] == [0, 20]
    # The reporter is the signed-in person, not a name typed into the form.
    assert {p.reported_by for p in progressed} == {"Zhao"}


async def test_reporting_on_a_completed_work_order_is_409_with_the_status(
    client, production, spy, amqp_channel, ns
):
    _, wo = await _one_work_order(client, spy, amqp_channel, ns)
    url = f"/work-orders/{wo.work_order_id}/progress"
    await client.post(url, json={"quantity_done": 30, "complete": True, "lot_no": "LOT-2"})
    again = await client.post(url, json={"quantity_done": 31})
    assert again.status_code == 409
    assert again.json()["state"] == "completed"


async def test_bad_report_is_422_naming_the_field(client, production, spy, amqp_channel, ns):
    _, wo = await _one_work_order(client, spy, amqp_channel, ns)
    response = await client.post(
        f"/work-orders/{wo.work_order_id}/progress", json={"quantity_done": -1}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "quantity_done"
    missing_lot = await client.post(
        f"/work-orders/{wo.work_order_id}/progress", json={"quantity_done": 3, "complete": True}
    )
    assert missing_lot.status_code == 422
    assert missing_lot.json()["field"] == "lot_no"
    bad_line = await client.post(
        "/lines",
        json={"code": "L9", "name": "x", "capacities": [{"family": "pump", "pieces_per_day": 0}]},
    )
    assert bad_line.status_code == 422
    assert bad_line.json()["field"] == "capacities.0.pieces_per_day"


async def test_completion_through_the_command_queue(client, production, spy, amqp_channel, ns):
    order_id, wo = await _one_work_order(client, spy, amqp_channel, ns)
    at = datetime(2026, 12, 8, 8, tzinfo=UTC)
    command = ReportProgress(
        work_order_id=wo.work_order_id,
        quantity_done=30,
        complete=True,
        lot_no="LOT-C",
        reported_by="mes",
        reported_at=at,
    )
    await send(amqp_channel, ns, command, correlation_id=str(order_id))
    # The shop-floor system repeats itself: harmless.
    await send(amqp_channel, ns, command, correlation_id=str(order_id))
    (completed,) = await spy.wait_for(ProductionCompleted, correlation_id=str(order_id), timeout=15)
    assert (completed.quantity, completed.lot_no) == (30, "LOT-C")

    async def status_completed() -> bool:
        body = (await client.get(f"/work-orders/{wo.work_order_id}")).json()
        return body["status"] == "completed"

    await eventually(status_completed, timeout=10)
    assert len(spy.of(ProductionCompleted, str(order_id))) == 1


async def test_failed_inspection_sends_the_lot_back_to_rework_and_reschedules(
    client, production, spy, amqp_channel, ns
):
    order_id, wo = await _one_work_order(
        client, spy, amqp_channel, ns, quantity=30, promised=date(2026, 12, 11)
    )
    await client.post(
        f"/work-orders/{wo.work_order_id}/progress",
        json={"quantity_done": 30, "complete": True, "lot_no": "LOT-Q"},
    )
    failed = InspectionFailed(
        inspection_id=uuid.uuid4(),
        work_order_id=wo.work_order_id,
        order_id=order_id,
        product_code="P-100",
        lot_no="LOT-Q",
        quantity_inspected=30,
        quantity_rejected=12,
        defect="scratches",
        disposition=QcDisposition.REWORK,
    )
    await send(amqp_channel, ns, failed, correlation_id=str(order_id))
    scheduled = await spy.wait_for(ProductionScheduled, 2, correlation_id=str(order_id), timeout=15)
    (rework,) = scheduled[1].work_orders
    assert rework.quantity == 12
    assert rework.work_order_no.startswith(wo.work_order_no + "-R")
    # The original occupied Tue-Thu; the line is free again after completion, rework from Tue.
    assert rework.planned_start == date(2026, 12, 8)
    listed = (await client.get("/work-orders", params={"order_id": str(order_id)})).json()
    assert [(w["kind"], w["status"]) for w in listed] == [
        ("production", "completed"),
        ("rework", "planned"),
    ]
    assert listed[1]["parent_id"] == str(wo.work_order_id)


async def test_short_materials_raise_a_requisition_and_block_start_until_received(
    client, production, spy, amqp_channel, ns
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(
        client,
        "P-200",
        "pump",
        [{"material_code": "STEEL", "quantity_per_piece": "2.5", "unit": "kg"}],
    )
    assert (
        await client.put("/materials/STEEL", json={"on_hand": "30", "unit": "kg"})
    ).status_code == 200
    order_id, _ = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-200", 20)], date(2026, 12, 31)
    )
    (requisition,) = await spy.wait_for(
        MaterialRequisitioned, correlation_id=str(order_id), timeout=15
    )
    (material,) = requisition.materials
    assert (material.material_code, material.quantity, material.unit) == (
        "STEEL",
        Decimal("20.0000"),
        "kg",
    )
    assert requisition.needed_by == date(2026, 12, 8)
    url = f"/work-orders/{requisition.work_order_id}/progress"
    blocked = await client.post(url, json={"started": True})
    assert blocked.status_code == 409
    assert blocked.json()["state"] == "planned"
    await send(
        amqp_channel,
        ns,
        ReceiveMaterials(
            requisition_id=requisition.requisition_id,
            materials=[MaterialLine(material_code="STEEL", quantity=Decimal("20"), unit="kg")],
            received_by="stores",
            received_at=datetime(2026, 12, 7, 6, tzinfo=UTC),
        ),
        correlation_id=str(order_id),
    )

    async def unblocked() -> bool:
        body = (await client.get(f"/work-orders/{requisition.work_order_id}")).json()
        return body["materials_ready"]

    await eventually(unblocked, timeout=10)
    assert (await client.post(url, json={"started": True})).status_code == 200
    stock = {
        m["material_code"]: Decimal(m["on_hand"]) for m in (await client.get("/materials")).json()
    }
    assert stock["STEEL"] == Decimal(0)  # 30 + 20 received - 50 taken


async def test_work_order_behind_plan_is_delayed_once_per_change(
    client, production, spy, amqp_channel, ns, clock
):
    order_id, wo = await _one_work_order(client, spy, amqp_channel, ns, quantity=30)
    # Thursday 10 Dec: Tue and Wed planned 20 pieces, only 5 made.
    clock.set(datetime(2026, 12, 10, 2, tzinfo=UTC))
    await client.post(f"/work-orders/{wo.work_order_id}/progress", json={"quantity_done": 5})
    (delayed,) = await spy.wait_for(ProductionDelayed, correlation_id=str(order_id), timeout=15)
    # 15 pieces behind at 10 a day: two more working days after Thursday 10 Dec.
    assert (delayed.old_date, delayed.new_date) == (date(2026, 12, 10), date(2026, 12, 14))
    assert delayed.cause == DelayCause.CAPACITY
    # The periodic check finds the same lateness: no second event.
    assert (await client.post("/delay-checks")).json() == {"delayed": 0}
    # A day later with no progress the estimate moves: one new event.
    clock.advance(timedelta(days=1))
    assert (await client.post("/delay-checks")).json() == {"delayed": 1}
    later = await spy.wait_for(ProductionDelayed, 2, correlation_id=str(order_id), timeout=15)
    assert later[1].new_date == date(2026, 12, 15)
