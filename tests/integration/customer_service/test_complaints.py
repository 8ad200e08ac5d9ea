"""Complaints through HTTP and the bus: numbering, SLA breaches under an advanced clock,
escalation, resolution, idempotent command, unique numbers with two replicas."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import aio_pika
import httpx

from contracts.commands.customer_service import OpenComplaint
from contracts.enums import Channel, ComplaintCategory
from contracts.events import (
    ComplaintAssigned,
    ComplaintEscalated,
    ComplaintOpened,
    ComplaintResolved,
    ComplaintSlaBreached,
    SurveySent,
)
from contracts.roles import Role
from services.customer_service.main import CustomerServiceRuntime
from shared.clock import FixedClock
from tests.harness import EventSpy, eventually, send
from tests.integration.customer_service.conftest import StartReplica, client, signed_in

BODY: dict[str, Any] = {
    "customer_id": "C-77",
    "channel": "phone",
    "category": "quality",
    "severity": "high",
    "description": "valve body leaks at the flange",
    "expected_outcome": "exchange",
    "contact": {"name": "Zhou", "email": "zhou@example.com"},
}


async def test_complaint_open_assign_resolve_with_both_sla_breaches(
    cs_runtime: CustomerServiceRuntime, api: httpx.AsyncClient, cs_clock: FixedClock, spy: EventSpy
) -> None:
    opened_at = cs_clock.now()
    created = await api.post("/complaints", json=BODY)
    assert created.status_code == 201, created.text
    complaint = created.json()
    cid = complaint["complaint_id"]
    period = cs_runtime.calendar.local_date(opened_at).strftime("%Y%m")
    assert re.fullmatch(rf"{period}-T\d{{3,}}", complaint["complaint_no"])
    [opened] = await spy.wait_for(ComplaintOpened, correlation_id=cid, timeout=10)
    assert opened.assignment_due_at == opened_at + timedelta(hours=2)
    assert opened.resolution_due_at == opened_at + timedelta(days=10)

    # Resolving before assignment is an illegal transition.
    early = await api.post(
        f"/complaints/{cid}/resolve", json={"resolution": "repair", "summary": "x"}
    )
    assert early.status_code == 409 and early.json()["state"] == "open"

    # Two hours and a minute later, nobody has assigned it: breach, escalation to a manager.
    cs_clock.advance(timedelta(hours=2, minutes=1))
    await cs_runtime.scanner.fire_due()
    [breach] = await spy.wait_for(ComplaintSlaBreached, correlation_id=cid, timeout=10)
    assert breach.deadline == "complaint_assignment"
    [escalated] = await spy.wait_for(ComplaintEscalated, correlation_id=cid, timeout=10)
    assert (escalated.level, escalated.escalated_to) == (1, "after_sales_manager")

    assigned = await api.post(f"/complaints/{cid}/assign", json={"assignee": "QA Sun"})
    assert assigned.json()["department"] == "production"  # quality -> production
    assert assigned.json()["assigned_by"] == "Lin"
    await spy.wait_for(ComplaintAssigned, correlation_id=cid, timeout=10)
    # QC investigates a quality complaint and records its finding under its own name.
    note = await api.post(
        f"/complaints/{cid}/notes",
        json={"note": "gasket batch 7 suspect"},
        headers=signed_in("QA Sun", Role.QC),
    )
    assert note.status_code == 201, note.text
    assert [(n["author"], n["note"]) for n in note.json()["notes"]] == [
        ("QA Sun", "gasket batch 7 suspect")
    ]

    # Ten days pass: the resolution deadline breaches too, and it climbs one level more.
    cs_clock.advance(timedelta(days=10))
    await cs_runtime.scanner.fire_due()
    breaches = await spy.wait_for(ComplaintSlaBreached, count=2, correlation_id=cid, timeout=10)
    assert sorted(b.deadline for b in breaches) == ["complaint_assignment", "complaint_resolution"]
    escalations = await spy.wait_for(ComplaintEscalated, count=2, correlation_id=cid, timeout=10)
    assert max(e.level for e in escalations) == 2
    assert escalations[-1].escalated_to == "vp"

    resolved = await api.post(
        f"/complaints/{cid}/resolve",
        json={"resolution": "repair", "summary": "gasket replaced on site"},
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["within_sla"] is False
    [done] = await spy.wait_for(ComplaintResolved, correlation_id=cid, timeout=10)
    assert done.within_sla is False
    [survey] = await spy.wait_for(SurveySent, correlation_id=cid, timeout=10)
    assert survey.trigger == "complaint_resolution"

    async def told() -> bool:
        notices = (await api.get("/notices", params={"subject_id": cid})).json()
        return sorted(n["moment"] for n in notices) == ["complaint_received", "complaint_resolved"]

    await eventually(told, timeout=10)
    again = await api.post(f"/complaints/{cid}/assign", json={})
    assert again.status_code == 409 and again.json()["state"] == "resolved"


async def test_complaint_resolved_in_time_is_within_sla_and_dispute_escalates(
    cs_runtime: CustomerServiceRuntime, api: httpx.AsyncClient, spy: EventSpy
) -> None:
    cid = (
        await api.post("/complaints", json={**BODY, "category": "logistics", "domestic": False})
    ).json()["complaint_id"]
    await api.post(f"/complaints/{cid}/assign", json={})
    disputed = await api.post(
        f"/complaints/{cid}/escalate", json={"reason": "warehouse and logistics disagree"}
    )
    assert disputed.json()["escalation_level"] == 1
    resolved = await api.post(
        f"/complaints/{cid}/resolve",
        json={"resolution": "explanation", "summary": "carrier damage"},
    )
    body = resolved.json()
    assert body["department"] == "logistics" and body["within_sla"] is True
    events = await spy.wait_for(ComplaintEscalated, correlation_id=cid, timeout=10)
    assert events[0].reason == "warehouse and logistics disagree"


async def test_bad_input_is_rejected_naming_the_field(api: httpx.AsyncClient) -> None:
    response = await api.post("/complaints", json={**BODY, "category": "weather"})
    assert response.status_code == 422
    assert response.json()["field"] == "category"
    missing = await api.post(f"/complaints/{uuid4()}/assign", json={})
    assert missing.status_code == 404
    # Nobody names themselves: the author of a note is the signed-in person.
    cid = (await api.post("/complaints", json=BODY)).json()["complaint_id"]
    named = await api.post(f"/complaints/{cid}/notes", json={"author": "Boss", "note": "x"})
    assert named.status_code == 422 and named.json()["field"] == "author"


async def test_the_same_command_twice_opens_one_complaint(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    spy: EventSpy,
    api: httpx.AsyncClient,
) -> None:
    customer = f"C-{uuid4().hex[:6]}"
    command = OpenComplaint(
        client_reference=f"CALL-{uuid4().hex[:8]}",
        customer_id=customer,
        channel=Channel.EMAIL,
        category=ComplaintCategory.SERVICE,
        description="rude driver",
    )
    for _ in range(2):
        await send(
            cs_channel,
            namespace,
            command,
            correlation_id=command.client_reference,
            producer="call-centre",
        )

    async def both_handled() -> bool:
        handled = cs_runtime.metrics.handled.labels("customer_service.commands")
        return bool(handled._value.get() >= 2)  # type: ignore[attr-defined]

    await eventually(both_handled, timeout=20)
    mine = [c for c in (await api.get("/complaints")).json() if c["customer_id"] == customer]
    assert len(mine) == 1
    opened = [e for e in spy.of(ComplaintOpened) if e.customer_id == customer]
    assert len(opened) == 1


async def test_complaint_numbers_stay_unique_with_two_replicas(
    cs_runtime: CustomerServiceRuntime, start_replica: StartReplica
) -> None:
    replica = await start_replica()
    clients = [client(runtime, "http://cs") for runtime in (cs_runtime, replica)]
    try:
        responses = await asyncio.gather(
            *(clients[i % 2].post("/complaints", json=BODY) for i in range(20))
        )
    finally:
        for each in clients:
            await each.aclose()
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    numbers = [r.json()["complaint_no"] for r in responses]
    assert len(set(numbers)) == 20
    sequence = sorted(int(n.split("-T")[1]) for n in numbers)
    assert sequence == list(range(sequence[0], sequence[0] + 20))  # no gaps, no repeats
    assert all(UUID(r.json()["complaint_id"]) for r in responses)
