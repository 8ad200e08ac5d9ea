"""Who may do what in customer service, over HTTP with signed-in people and the real broker.

Complaint allowances wait for a second person with the authority; reads of customer data are for
the roles whose work needs them; every step is in the audit trail under the complaint.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import text

from contracts.events import ComplaintResolved, SurveySent
from contracts.roles import Role
from services.customer_service.main import CustomerServiceRuntime
from tests.harness import EventSpy
from tests.integration.customer_service.conftest import signed_in

COMPLAINT: dict[str, Any] = {
    "customer_id": "C-31",
    "channel": "phone",
    "category": "quality",
    "description": "paint flakes off the housing",
}
SUPERVISOR = signed_in("Wang", Role.AFTER_SALES_MANAGER)


async def _assigned(api: httpx.AsyncClient) -> str:
    cid = str((await api.post("/complaints", json=COMPLAINT)).json()["complaint_id"])
    assert (await api.post(f"/complaints/{cid}/assign", json={})).status_code == 200
    return cid


def _discount(amount: str) -> dict[str, str]:
    return {
        "resolution": "discount",
        "summary": "price allowance for the repainting",
        "discount_amount": amount,
        "currency": "CNY",
    }


async def _emitted(runtime: CustomerServiceRuntime, message_type: str, complaint_id: str) -> int:
    """Messages of a type in the outbox for one complaint: a step commits them with its change,
    so none there means none will be published."""
    async with runtime.engine.connect() as conn:
        q = text(
            "SELECT count(*) FROM outbox_message WHERE message_type = :t"
            " AND convert_from(body, 'UTF8') LIKE :c"
        )
        params = {"t": message_type, "c": f"%{complaint_id}%"}
        return int((await conn.execute(q, params)).scalar_one())


async def test_a_complaint_discount_over_the_band_waits_for_approval(
    cs_runtime: CustomerServiceRuntime, api: httpx.AsyncClient, spy: EventSpy
) -> None:
    """The desk grants no money alone (limit CNY 0 by default): a price below the one agreed
    goes to the customer-service supervisor (policies/003 客户订单下单流程:
    上报客服主管和营销总监). Until a second person with the authority approves, the complaint
    waits and ``complaint.resolved``
    (from which sales issues the credit note and the refund) is not emitted; the proposer never
    approves their own allowance (four eyes)."""
    cid = await _assigned(api)
    proposed = await api.post(f"/complaints/{cid}/resolve", json=_discount("500.00"))
    assert proposed.status_code == 200, proposed.text
    body = proposed.json()
    assert body["status"] == "awaiting_approval" and body["resolved_by"] == "Lin"
    assert body["approval_roles"] == ["after_sales_manager", "vp"]
    assert body["resolved_at"] is None
    assert await _emitted(cs_runtime, "complaint.resolved.v1", cid) == 0
    assert await _emitted(cs_runtime, "survey.sent.v1", cid) == 0
    waiting = (await api.get("/complaints", params={"status": "awaiting_approval"})).json()
    assert cid in [c["complaint_id"] for c in waiting]

    # Another clerk of the desk may not approve; neither may Lin, signed in as a supervisor.
    clerk = await api.post(
        f"/complaints/{cid}/allowance/approve", headers=signed_in("Zhao", Role.AFTER_SALES)
    )
    assert clerk.status_code == 403
    assert clerk.json()["roles"] == ["after_sales_manager", "vp"]
    own = await api.post(
        f"/complaints/{cid}/allowance/approve",
        headers=signed_in("Lin", Role.AFTER_SALES, Role.AFTER_SALES_MANAGER),
    )
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    assert await _emitted(cs_runtime, "complaint.resolved.v1", cid) == 0

    approved = await api.post(f"/complaints/{cid}/allowance/approve", headers=SUPERVISOR)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "resolved" and approved.json()["approved_by"] == "Wang"
    [resolved] = await spy.wait_for(ComplaintResolved, correlation_id=cid, timeout=10)
    assert (resolved.discount_amount, resolved.currency) == (Decimal("500.00"), "CNY")
    await spy.wait_for(SurveySent, correlation_id=cid, timeout=10)
    # The same approval again (its answer lost) changes nothing.
    again = await api.post(f"/complaints/{cid}/allowance/approve", headers=SUPERVISOR)
    assert again.status_code == 200
    assert await _emitted(cs_runtime, "complaint.resolved.v1", cid) == 1

    trail = (await api.get("/audit", params={"order": cid})).json()
    steps = [(e["action"], e["actor"]["name"]) for e in trail]
    assert ("POST /complaints/{complaint_id}/resolve", "Lin") in steps
    assert ("POST /complaints/{complaint_id}/allowance/approve", "Wang") in steps
    assert all(e["actor"]["name"] != "Zhao" for e in trail)  # a refused step leaves nothing


async def test_above_the_supervisors_band_the_vice_president_approves(
    api: httpx.AsyncClient,
) -> None:
    """Beyond the supervisor's limit (CNY 100,000 by default) the vice-president in charge
    decides (policies/000 第十条(三)(3))."""
    cid = await _assigned(api)
    proposed = await api.post(
        f"/complaints/{cid}/resolve", json=_discount("150000.00"), headers=SUPERVISOR
    )
    assert proposed.json()["status"] == "awaiting_approval"
    assert proposed.json()["approval_roles"] == ["vp"]
    other = await api.post(
        f"/complaints/{cid}/allowance/approve",
        headers=signed_in("Zhou", Role.AFTER_SALES_MANAGER),
    )
    assert other.status_code == 403 and other.json()["roles"] == ["vp"]
    approved = await api.post(
        f"/complaints/{cid}/allowance/approve", headers=signed_in("Gao", Role.VP)
    )
    assert approved.json()["status"] == "resolved"


async def test_a_refused_allowance_reopens_the_complaint_with_the_reason_in_its_notes(
    cs_runtime: CustomerServiceRuntime, api: httpx.AsyncClient
) -> None:
    cid = await _assigned(api)
    await api.post(f"/complaints/{cid}/resolve", json=_discount("300.00"))
    refused = await api.post(
        f"/complaints/{cid}/allowance/refuse",
        json={"reason": "a repaint on site is enough"},
        headers=SUPERVISOR,
    )
    assert refused.status_code == 200, refused.text
    complaint = refused.json()
    assert complaint["status"] == "assigned" and complaint["discount_amount"] is None
    [note] = complaint["notes"]
    assert note["author"] == "Wang" and "a repaint on site is enough" in note["note"]
    settled = await api.post(
        f"/complaints/{cid}/resolve", json={"resolution": "repair", "summary": "repainted"}
    )
    assert settled.json()["status"] == "resolved"
    assert await _emitted(cs_runtime, "complaint.resolved.v1", cid) == 1


async def test_qc_reads_and_records_findings_but_does_not_settle(api: httpx.AsyncClient) -> None:
    """Quality complaints are investigated by QC with production (policies/002 四(二)1)."""
    cid = await _assigned(api)
    qc = signed_in("QA Sun", Role.QC)
    assert (await api.get(f"/complaints/{cid}", headers=qc)).status_code == 200
    noted = await api.post(f"/complaints/{cid}/notes", json={"note": "primer missing"}, headers=qc)
    assert noted.status_code == 201 and noted.json()["notes"][0]["author"] == "QA Sun"
    settle = {"resolution": "repair", "summary": "x"}
    assert (
        await api.post(f"/complaints/{cid}/resolve", json=settle, headers=qc)
    ).status_code == 403
    # The note emits nothing, yet the audit trail files it under the complaint.
    trail = (await api.get("/audit", params={"order": cid})).json()
    assert ("POST /complaints/{complaint_id}/notes", "QA Sun") in [
        (e["action"], e["actor"]["name"]) for e in trail
    ]


async def test_customer_data_is_read_by_the_roles_that_need_it(api: httpx.AsyncClient) -> None:
    cid = await _assigned(api)
    sales = signed_in("Zhang", Role.SALES_DESK)
    planner = signed_in("Hu", Role.PRODUCTION_PLANNER)
    # A sales representative takes a complaint and follows orders, but does not read what was
    # sent to whom, nor settle.
    taken = await api.post("/complaints", json=COMPLAINT, headers=sales)
    assert taken.status_code == 201
    assert (await api.get("/orders", headers=sales)).status_code == 200
    assert (await api.get("/notices", headers=sales)).status_code == 403
    assert (await api.post(f"/complaints/{cid}/assign", json={}, headers=sales)).status_code == 403
    # A planner sees the figures, not the customers.
    assert (
        await api.get("/kpis", params={"period": "2026-Q4"}, headers=planner)
    ).status_code == 200
    for path in (f"/complaints/{cid}", f"/timelines/{cid}", "/notices", "/service-tickets"):
        refused = await api.get(path, headers=planner)
        assert refused.status_code == 403, path
    # The auditor reads everything and changes nothing.
    auditor = signed_in("Shen", Role.AUDITOR)
    assert (
        await api.get("/notices", params={"subject_id": cid}, headers=auditor)
    ).status_code == 200
    note = await api.post(f"/complaints/{cid}/notes", json={"note": "x"}, headers=auditor)
    assert note.status_code == 403
