"""Service tickets with review (by a second person), spare parts with urgency deadlines,
surveys and KPIs."""

from __future__ import annotations

from datetime import timedelta

import httpx

from contracts.events import (
    ServiceTicketClosed,
    ServiceTicketDispatched,
    ServiceTicketOpened,
    ServiceTicketSlaBreached,
    SparePartOrdered,
    SurveyAnswered,
    SurveySent,
)
from contracts.roles import Role
from services.customer_service.main import CustomerServiceRuntime
from shared.clock import FixedClock
from tests.harness import EventSpy
from tests.integration.customer_service.conftest import signed_in

SITE = {"recipient": "Plant 2", "line1": "3 Factory Road", "city": "Changzhou"}


async def test_service_ticket_result_goes_out_only_after_review(
    cs_runtime: CustomerServiceRuntime,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
    spy: EventSpy,
) -> None:
    created = await api.post(
        "/service-tickets",
        json={
            "kind": "repair",
            "customer_id": "C-5",
            "product_code": "PUMP-7",
            "site_address": SITE,
            "description": "pump vibrates",
        },
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    tid = ticket["ticket_id"]
    await spy.wait_for(ServiceTicketOpened, correlation_id=tid, timeout=10)
    too_soon = await api.post(
        f"/service-tickets/{tid}/work-record",
        json={"outcome": "repaired", "record": {"summary": "x", "hours": "1"}},
    )
    assert too_soon.status_code == 409 and too_soon.json()["state"] == "opened"

    when = (cs_clock.now() + timedelta(days=1)).isoformat()
    await api.post(
        f"/service-tickets/{tid}/dispatch", json={"technician": "Wu", "scheduled_for": when}
    )
    await spy.wait_for(ServiceTicketDispatched, correlation_id=tid, timeout=10)
    recorded = await api.post(
        f"/service-tickets/{tid}/work-record",
        json={
            "outcome": "repaired",
            "record": {
                "summary": "bearing replaced",
                "hours": "2.5",
                "parts_used": [{"part_code": "BRG-1", "quantity": 1}],
            },
        },
    )
    assert recorded.json()["status"] == "work_recorded"
    assert recorded.json()["recorded_by"] == "Lin"
    assert spy.of(ServiceTicketClosed, correlation_id=tid) == []

    # The record is reviewed by a second person, never by the one who entered it.
    own = await api.post(f"/service-tickets/{tid}/review", json={"approved": True})
    assert own.status_code == 403, own.text
    reviewed = await api.post(
        f"/service-tickets/{tid}/review",
        json={"approved": True},
        headers=signed_in("Wang", Role.AFTER_SALES_MANAGER),
    )
    assert reviewed.json()["status"] == "closed"
    assert reviewed.json()["reviewed_by"] == "Wang"
    [closed] = await spy.wait_for(ServiceTicketClosed, correlation_id=tid, timeout=10)
    assert closed.closed_by == "Wang" and closed.work_record.summary == "bearing replaced"
    [survey] = await spy.wait_for(SurveySent, correlation_id=tid, timeout=10)
    assert survey.trigger == "service_ticket"

    answered = await api.post(
        f"/surveys/{survey.survey_id}/answer", json={"score": 4, "comment": "quick"}
    )
    assert answered.json()["score"] == 4
    [answer] = await spy.wait_for(SurveyAnswered, correlation_id=tid, timeout=10)
    assert answer.score == 4
    # the same answer again (its answer lost on the way) is taken once; another is refused
    again = await api.post(
        f"/surveys/{survey.survey_id}/answer", json={"score": 4, "comment": "quick"}
    )
    assert again.status_code == 200 and again.json()["score"] == 4
    twice = await api.post(f"/surveys/{survey.survey_id}/answer", json={"score": 5})
    assert twice.status_code == 409
    bad = await api.post(f"/surveys/{survey.survey_id}/answer", json={"score": 6})
    assert bad.status_code == 422


async def test_rush_spare_part_must_be_installed_within_seven_days_of_arrival(
    cs_runtime: CustomerServiceRuntime,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
    spy: EventSpy,
) -> None:
    today = cs_runtime.calendar.local_date(cs_clock.now())
    ordered = await api.post(
        "/spare-parts",
        json={
            "part_code": "SEAL-9",
            "quantity": 2,
            "urgency": "RUSH",
            "expected_arrival": (today + timedelta(days=3)).isoformat(),
        },
    )
    part = ordered.json()
    assert part["install_due_date"] == (today + timedelta(days=10)).isoformat()
    pid = part["part_order_id"]
    [event] = await spy.wait_for(SparePartOrdered, correlation_id=pid, timeout=10)
    assert event.urgency == "RUSH"

    stock = (
        await api.post(
            "/spare-parts",
            json={
                "part_code": "FILTER-1",
                "quantity": 1,
                "urgency": "STOCK",
                "expected_arrival": today.isoformat(),
            },
        )
    ).json()
    await api.post(f"/spare-parts/{stock['part_order_id']}/arrived")

    arrived = (await api.post(f"/spare-parts/{pid}/arrived")).json()
    cs_clock.advance(timedelta(days=7, minutes=1))
    await cs_runtime.scanner.fire_due()
    breaches = await spy.wait_for(ServiceTicketSlaBreached, correlation_id=pid, timeout=10)
    assert breaches[0].deadline == "spare_part_installation"
    assert arrived["status"] == "arrived"
    # The STOCK part, arrived at the same time, still has most of its month.
    assert spy.of(ServiceTicketSlaBreached, correlation_id=stock["part_order_id"]) == []
    installed = await api.post(f"/spare-parts/{stock['part_order_id']}/installed")
    assert installed.json()["status"] == "installed"


async def test_kpis_and_quarterly_after_sales_report(
    cs_runtime: CustomerServiceRuntime,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
) -> None:
    opened = await api.post(
        "/complaints",
        json={"customer_id": "C-5", "channel": "fax", "category": "quality", "description": "rust"},
    )
    assert opened.status_code == 201
    local = cs_runtime.calendar.local_date(cs_clock.now())
    quarter = f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    complaints = (await api.get("/complaints")).json()
    report = (await api.get("/reports/after-sales", params={"quarter": quarter})).json()
    in_quarter = [c for c in complaints if c["opened_at"][:4] == str(local.year)]
    assert sum(report["complaints"]["by_category"].values()) == len(in_quarter)
    assert report["service_tickets"]["closed"] >= 1
    csv_text = (
        await api.get("/reports/after-sales", params={"quarter": quarter, "format": "csv"})
    ).text
    header, *rows = csv_text.strip().splitlines()
    assert header == "quarter,section,metric,key,value"
    assert any(row.startswith(f"{quarter},complaints,by_category,quality,") for row in rows)

    kpis = (await api.get("/kpis", params={"period": quarter})).json()
    assert kpis["complaints"]["opened"] == len(in_quarter)
    assert kpis["satisfaction"]["answers"] >= 1
    assert (await api.get("/kpis", params={"period": "2026-13x"})).status_code == 422


async def test_service_visit_not_done_by_its_due_time_is_a_breach(
    cs_runtime: CustomerServiceRuntime,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
    spy: EventSpy,
) -> None:
    due = cs_clock.now() + timedelta(days=2)
    created = await api.post(
        "/service-tickets",
        json={
            "kind": "replacement",
            "customer_id": "C-6",
            "product_code": "PUMP-7",
            "site_address": SITE,
            "description": "replace pump",
            "due_at": due.isoformat(),
        },
    )
    tid = created.json()["ticket_id"]
    cs_clock.advance(timedelta(days=2, minutes=1))
    await cs_runtime.scanner.fire_due()
    [breach] = await spy.wait_for(ServiceTicketSlaBreached, correlation_id=tid, timeout=10)
    assert breach.deadline == "service_visit" and breach.due_at == due
