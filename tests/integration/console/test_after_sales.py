"""The after-sales page over the real customer service: what each person is offered follows the
roles customer service declares; what their roles may not read is left out with a note; the
operator's timeline rebuild runs there after confirmation."""

from __future__ import annotations

import uuid

from contracts.roles import Role
from services.console.domain.i18n import TEXTS


def _complaint(customer: str) -> dict[str, str]:
    return {
        "customer_id": customer,
        "channel": "phone",
        "category": "quality",
        "severity": "high",
        "description": "two frames arrived bent",
    }


async def test_the_after_sales_desk_opens_a_complaint_and_is_offered_its_next_steps(console):
    customer = f"C-{uuid.uuid4().hex[:6]}"
    async with console.person("zhou", Role.AFTER_SALES) as desk:
        opened = await desk.post("/act/customer_service/complaints", _complaint(customer))
        assert opened.status_code == 200, opened.text
        page = await desk.get("/after-sales")
        assert page.status_code == 200 and customer in page.text
        assert 'id="open-complaint"' in page.text
        assert 'id="assign-' in page.text and 'id="resolve-' in page.text
        no_summary = await desk.post(
            f"/act/customer_service/complaints/{uuid.uuid4()}/resolve",
            {"resolution": "explanation"},
        )
        assert no_summary.status_code == 422, no_summary.text
        assert "summary" in no_summary.json()["detail"], "the service's problem detail"


async def test_a_storekeeper_sees_complaints_but_no_step_and_no_service_tickets(console):
    customer = f"C-{uuid.uuid4().hex[:6]}"
    async with console.person("zhou", Role.AFTER_SALES) as desk:
        await desk.post("/act/customer_service/complaints", _complaint(customer))
    async with console.person("wang", Role.WAREHOUSE) as storekeeper:
        page = await storekeeper.get("/after-sales")
        assert page.status_code == 200 and customer in page.text
        for form in ('id="open-complaint"', 'id="assign-', 'id="resolve-', 'id="escalate-'):
            assert form not in page.text, form
        hidden = TEXTS["part.hidden"][0].format(service=TEXTS["dept.customer_service"][0])
        assert hidden in page.text, "service tickets are not the warehouse's to read"
        refused = await storekeeper.post("/act/customer_service/complaints", _complaint(customer))
        assert refused.status_code == 403, "the service still enforces"
        assert "after_sales" in refused.json()["detail"]


async def test_the_operator_rebuilds_the_timelines_after_confirming(console):
    async with console.person("ops.chen", Role.OPERATOR) as operator:
        asked = await operator.post("/act/timelines/rebuild", {})
        assert asked.json() == {
            "ok": False,
            "message": "",
            "redirect": None,
            "confirm": TEXTS["rebuild.confirm"][0],
        }
        done = await operator.post("/act/timelines/rebuild", {"confirm": True})
        assert done.status_code == 200 and done.json()["ok"] is True, done.text
        assert "identical True" in done.json()["message"]
