"""The console's routes over plain HTTP against the five services: content and error paths."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest

from orderflow.simulate import OrderPlan, customers
from orderflow.simulate.world import ADDRESS
from tests.harness import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
async def web(console):
    async with httpx.AsyncClient(base_url=console, timeout=20) as client:
        yield client


def _order_form(customer_id: str, today: date, quantity: int = 3) -> dict[str, str]:
    return {
        "client_reference": f"console-{uuid.uuid4().hex[:8]}",
        "channel": "phone",
        "customer_id": customer_id,
        "lines.0.product_code": "P-100",
        "lines.0.spec": "standard",
        "lines.0.quantity": str(quantity),
        "requested_date": (today + timedelta(days=40)).isoformat(),
        "contact.name": "Li Wei",
        "contact.phone": "+86 574 1234",
        **{f"delivery_address.{k}": v for k, v in ADDRESS.items()},
    }


async def test_order_placed_through_the_console_shows_on_board_order_page_and_planning(world, web):
    customer = await world.customer("A")
    placed = await web.post("/act/sales/orders", json=_order_form(customer, world.today()))
    assert placed.status_code == 200, placed.text
    order_id = placed.json()["redirect"].rsplit("/", 1)[1]
    await world.wait_status(order_id, "released")
    order = await world.call("sales", "GET", f"/orders/{order_id}")

    board = await web.get("/orders", params={"customer": customer})
    assert board.status_code == 200
    assert f'data-order-no="{order["order_no"]}"' in board.text
    assert 'data-stage="in_production"' in board.text

    page = await web.get(f"/orders/{order_id}")
    assert page.status_code == 200
    assert order["order_no"] in page.text and "Departments" in page.text
    assert "order.received" in page.text, "the timeline from customer service"
    assert 'id="cancel"' in page.text and 'id="sign"' not in page.text

    async def reserved_shown() -> bool:
        planning = await web.get("/planning", params={"product_code": "P-100"})
        return order["order_no"] in planning.text

    await eventually(reserved_shown, timeout=30, interval=0.3)
    planning = await web.get("/planning", params={"product_code": "P-100"})
    assert "<th>L1</th>" in planning.text and 'id="available"' in planning.text


async def test_refused_actions_answer_with_the_service_message(world, web):
    customer = await world.customer("A")
    plan = OrderPlan(
        index=0, klass="A", channel="web", arrives_after=timedelta(0), quantities={"P-100": 1}
    )
    order = await customers.place_order(world, plan, customer)
    order_id = str(order["order_id"])
    missing = await web.post(f"/act/sales/orders/{order_id}/approve", json={})
    assert missing.status_code == 422
    assert "approved_by" in missing.json()["error"]
    await world.wait_status(order_id, "released")
    wrong_stage = await web.post(
        f"/act/sales/orders/{order_id}/reject", json={"rejected_by": "x", "reason": "late"}
    )
    assert wrong_stage.status_code == 409, wrong_stage.text
    assert "released" in wrong_stage.json()["error"]
    not_allowed = await web.post("/act/sales/customers", json={})
    assert not_allowed.status_code == 404
    unknown = await web.get(f"/orders/{uuid.uuid4()}")
    assert unknown.status_code == 404 and "error-message" in unknown.text
    bad_date = await web.get("/orders", params={"created_from": "yesterday"})
    assert bad_date.status_code == 422 and "created_from" in bad_date.text
    bad_class = await web.get("/orders", params={"customer_class": "Z"})
    assert bad_class.status_code == 422 and "customer_class" in bad_class.text


async def test_after_sales_kpis_csv_and_dead_letters_pages(world, web):
    customer = await world.customer("B")
    opened = await web.post(
        "/act/customer_service/complaints",
        json={
            "customer_id": customer,
            "channel": "phone",
            "category": "quality",
            "severity": "high",
            "description": "scratched frames",
        },
    )
    assert opened.status_code == 200, opened.text
    page = await web.get("/after-sales")
    assert customer in page.text and "left</span>" in page.text, "an SLA clock runs"
    no_summary = await web.post(
        "/act/customer_service/complaints/" + str(uuid.uuid4()) + "/resolve",
        json={"resolution": "explanation"},
    )
    assert no_summary.status_code == 422 and "summary" in no_summary.json()["error"]

    kpis = await web.get("/kpis")
    assert kpis.status_code == 200 and kpis.text.count("<svg") >= 7
    today = world.today()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    csv = await web.get("/kpis/after-sales.csv", params={"quarter": quarter})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"] and csv.text.strip()
    bad_quarter = await web.get("/kpis/after-sales.csv", params={"quarter": "soon"})
    assert bad_quarter.status_code == 422 and "quarter" in bad_quarter.text

    letters = await web.get("/dead-letters")
    assert letters.status_code == 200 and "sales.commands.dlq" in letters.text
    stranger = await web.post("/act/dead-letters/replay", json={"queue": "elsewhere.dlq"})
    assert stranger.status_code == 404 and "queue" in stranger.json()["error"]
