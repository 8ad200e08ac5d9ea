"""The console's routes over plain HTTP against the five services and the identity provider:
people of the story's cast sign in, act as themselves, and see what their roles allow."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest

from orderflow.simulate import OrderPlan, customers
from orderflow.simulate.world import ADDRESS
from tests.e2e.console_people import AFTER_SALES, DESK, MANAGER, OPERATOR, signed_in
from tests.harness import eventually

pytestmark = pytest.mark.e2e


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


async def test_an_order_placed_by_the_desk_shows_on_board_order_page_planning_and_audit(
    world, console, running
):
    customer = await world.customer("A")
    async with signed_in(console, running, DESK) as desk:
        placed = await desk.post("/act/sales/orders", _order_form(customer, world.today()))
        assert placed.status_code == 200, placed.text
        order_id = placed.json()["redirect"].rsplit("/", 1)[1]
        await world.wait_status(order_id, "released")
        order = await world.order_view(order_id, "sales_desk")

        board = await desk.get("/orders", customer=customer)
        assert board.status_code == 200
        assert f'data-order-no="{order["order_no"]}"' in board.text
        assert 'data-stage="in_production"' in board.text

        page = await desk.get(f"/orders/{order_id}")
        assert page.status_code == 200
        assert order["order_no"] in page.text and "Departments" in page.text
        assert "order.received" in page.text, "the timeline from customer service"
        # who did what: the desk clerk, signed in, in the sales department's trail
        assert f'data-who="{DESK}" data-action="POST /orders"' in page.text
        assert 'id="sign"' not in page.text, "nothing to sign once released"

        async def reserved_shown() -> bool:
            planning = await desk.get("/planning", product_code="P-100")
            return order["order_no"] in planning.text

        await eventually(reserved_shown, timeout=30, interval=0.3)
        planning = await desk.get("/planning", product_code="P-100")
        assert "<th>L1</th>" in planning.text and 'id="available"' in planning.text


async def test_refusals_come_back_as_the_services_problem_detail(world, console, running):
    customer = await world.customer("A")
    plan = OrderPlan(
        index=0, klass="A", channel="web", arrives_after=timedelta(0), quantities={"P-100": 1}
    )
    order = await customers.place_order(world, plan, customer)
    order_id = str(order["order_id"])
    await world.wait_status(order_id, "released")
    async with signed_in(console, running, DESK) as desk:
        not_mine = await desk.post(f"/act/sales/orders/{order_id}/approve", {})
        assert not_mine.status_code == 403, not_mine.text
        assert "sales_manager" in not_mine.json()["detail"], "the roles that would do"
        unknown = await desk.get(f"/orders/{uuid.uuid4()}")
        assert unknown.status_code == 404 and "error-message" in unknown.text
        bad_date = await desk.get("/orders", created_from="yesterday")
        assert bad_date.status_code == 422 and "created_from" in bad_date.text
        bad_class = await desk.get("/orders", customer_class="Z")
        assert bad_class.status_code == 422 and "customer_class" in bad_class.text
        not_an_action = await desk.post("/act/sales/customers", {})
        assert not_an_action.status_code == 404
    async with signed_in(console, running, MANAGER) as manager:
        wrong_stage = await manager.post(f"/act/sales/orders/{order_id}/reject", {"reason": "late"})
        assert wrong_stage.status_code == 409, wrong_stage.text
        assert "released" in wrong_stage.json()["detail"]


async def test_anonymous_and_cross_site_posts_are_refused(world, console):
    async with httpx.AsyncClient(base_url=console) as anonymous:
        page = await anonymous.get("/orders")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        forged = await anonymous.post(
            "/act/sales/orders",
            content='{"customer_id": "x"}',
            headers={"Origin": "http://evil.test", "Content-Type": "text/plain"},
        )
        assert forged.status_code == 403 and forged.json()["type"].endswith("cross-origin")


async def test_after_sales_kpis_csv_and_dead_letters_pages(world, console, running):
    customer = await world.customer("B")
    async with signed_in(console, running, AFTER_SALES) as service:
        opened = await service.post(
            "/act/customer_service/complaints",
            {
                "customer_id": customer,
                "channel": "phone",
                "category": "quality",
                "severity": "high",
                "description": "scratched frames",
            },
        )
        assert opened.status_code == 200, opened.text
        page = await service.get("/after-sales")
        assert customer in page.text and "left</span>" in page.text, "an SLA clock runs"
        no_summary = await service.post(
            f"/act/customer_service/complaints/{uuid.uuid4()}/resolve",
            {"resolution": "explanation"},
        )
        assert no_summary.status_code == 422 and "summary" in no_summary.json()["detail"]

        kpis = await service.get("/kpis")
        assert kpis.status_code == 200 and kpis.text.count("<svg") >= 7
        today = world.today()
        quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
        csv = await service.get("/kpis/after-sales.csv", quarter=quarter)
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert "attachment" in csv.headers["content-disposition"] and csv.text.strip()
        bad_quarter = await service.get("/kpis/after-sales.csv", quarter="soon")
        assert bad_quarter.status_code == 422 and "quarter" in bad_quarter.text
        assert (await service.get("/dead-letters")).status_code == 403, "the operator's page"

    async with signed_in(console, running, OPERATOR) as operator:
        letters = await operator.get("/dead-letters")
        assert letters.status_code == 200 and "sales.commands.dlq" in letters.text
        stranger = await operator.post("/act/dead-letters/replay", {"queue": "elsewhere.dlq"})
        assert stranger.status_code == 404 and stranger.json()["field"] == "queue"
        asked = await operator.post("/act/timelines/rebuild", {})
        assert asked.status_code == 200 and asked.json()["confirm"]
