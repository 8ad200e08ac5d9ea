"""A seeded story of a few hundred orders through the five services as separate processes,
on a system of its own so its KPIs count this story alone.

``ORDERFLOW_E2E_ORDERS`` (default 200) sets how many orders the story has."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from orderflow.simulate import World, draw_all, play
from tests.e2e import invariants
from tests.e2e.system import RunningSystem, running_system
from tests.e2e.test_order_life import check_args, expected_states
from tests.infra import Infra

pytestmark = pytest.mark.e2e

ORDERS = int(os.environ.get("ORDERFLOW_E2E_ORDERS", "200"))
SEED = int(os.environ.get("ORDERFLOW_E2E_SEED", "3"))  # its quantity amendments need production
ARRIVAL_DAYS = 30


@pytest.fixture
async def own_system(
    infra: Infra, namespace: str, cleanup_run: None
) -> AsyncIterator[RunningSystem]:
    async with running_system(
        infra.amqp_url, infra.database_url, f"{namespace}story.", label="story"
    ) as running:
        yield running


async def test_seeded_story_ends_every_order_in_its_expected_state(own_system):
    """Every path of the story: channels (EDI on the command queue), incomplete orders, rush and
    big orders before the manager, late and missing signatures, deposits, amendments (and the
    new review, letter and signature they bring), cancellations, production with scrap and
    failed QC, parcels lost for a while, late payments, complaints of every kind with returns,
    repairs and exchanges, surveys."""
    running = own_system
    plans = draw_all(SEED, ORDERS, timedelta(days=ARRIVAL_DAYS))
    world = World.connect(running.services, running.amqp_url, running.namespace, running.cast())
    try:
        report = await play(world, ORDERS, SEED, days=ARRIVAL_DAYS, net_days=3)
    finally:
        await world.close()
    summary = "\n".join(report.lines())
    assert report.failures == [], "\n".join([*report.failures, summary])
    assert len(report.outcomes) == ORDERS
    assert sorted(o.final_status for o in report.outcomes) == sorted(
        p.expected_state for p in plans
    )
    assert all(o.final_status == o.expected_status for o in report.outcomes), summary
    assert all(o.final_status == "completed" for o in report.replacements), summary
    assert {o.channel for o in report.outcomes} == {"phone", "fax", "email", "web", "edi"}
    assert report.dead_lettered == 0
    kpis = list(report.kpis.values())
    completed = sum(o.final_status == "completed" for o in report.outcomes + report.replacements)
    assert sum(k["on_time_delivery"]["delivered"] for k in kpis) == completed
    # simulated time passed: stages took simulated hours, not the wall seconds they ran in
    spans = [k["cycle_time_hours"]["received->delivered"] for k in kpis]
    assert max(h or 0 for h in spans) > 24
    complained = sum(1 for p in plans if p.complaint and p.expected_state == "completed")
    assert sum(k["complaints"]["opened"] for k in kpis) == complained
    found = await invariants.eventually_none(
        90, **check_args(running, expected_states(report) | replacement_states(report))
    )
    assert found == [], "\n".join(found)


def replacement_states(report) -> dict[str, str]:
    return {o.order_no: o.expected_status for o in report.replacements if o.order_no}
