"""A seeded story of orders over a simulated month, through the services' public interfaces:
each order's plan (drawn from the seed) is lived out by the actors, on the clock the services
run on. The same seed gives the same story."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Coroutine
from datetime import date, datetime, timedelta
from typing import Any

from contracts.roles import Role
from orderflow.simulate import after_sales, carrier, customers, manager, shop_floor
from orderflow.simulate import warehouse_staff as staff
from orderflow.simulate.plan import OrderPlan, draw_all
from orderflow.simulate.report import Outcome, Report
from orderflow.simulate.world import World

HOUR = timedelta(hours=1)
OPEN = ("in_review", "awaiting_approval", "awaiting_signature", "awaiting_deposit", "released")
Progress = Callable[[Outcome | None, World], None]


async def play(
    world: World,
    orders: int,
    seed: int,
    *,
    days: float = 30,
    net_days: int = 15,
    on_progress: Progress | None = None,
) -> Report:
    """Orders arrive over ``days`` simulated days; customers pay ``net_days`` after invoice."""
    started = time.monotonic()
    await world.sync_clock()
    plans = draw_all(seed, orders, timedelta(days=days))
    await world.seed(stock=max(500, orders * 40), frames=orders * 4)
    customer_ids = {
        "A": await world.customer("A", net_days=net_days),
        "B": await world.customer("B", net_days=net_days),
        "C": await world.customer("C", deposit_percent="30", net_days=net_days),
    }
    t0 = world.now()
    report = Report()

    async def one(plan: OrderPlan) -> None:
        await world.sleep_until(t0 + plan.arrives_after)
        outcome = await _live(world, plan, customer_ids[plan.klass], report)
        report.outcomes.append(outcome)
        if on_progress:
            on_progress(outcome, world)

    async def tick() -> None:
        while on_progress:
            on_progress(None, world)
            await asyncio.sleep(0.5)

    ticker = asyncio.create_task(tick())
    try:
        await asyncio.gather(*(one(p) for p in plans))
    finally:
        ticker.cancel()
    report.outcomes.sort(key=lambda o: o.order_no)
    report.dead_lettered = await world.dead_lettered()
    report.refusals = dict(world.refusals)
    report.simulated_span = f"{t0:%Y-%m-%d} to {world.now():%Y-%m-%d}"
    report.wall_seconds = time.monotonic() - started
    for period in _months(t0.date(), world.today()):
        report.kpis[period] = dict(
            await world.call(
                "customer_service",
                "GET",
                "/kpis",
                params={"period": period},
                as_=Role.AFTER_SALES_MANAGER,
            )
        )
    return report


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


async def _live(world: World, plan: OrderPlan, customer_id: str, report: Report) -> Outcome:
    started, sim_started = time.monotonic(), world.now()
    order: dict[str, Any] = {"order_no": f"plan-{plan.index}", "order_id": ""}
    extra: dict[str, Any] = {}
    try:
        order = await customers.place_order(world, plan, customer_id)
        await _through(world, plan, str(order["order_id"]), extra)
    except Exception as exc:
        report.failures.append(
            f"{order.get('order_no')} (plan {plan.index}): {type(exc).__name__}: {exc}"
        )
    report.replacements.extend(extra.get("replacements", []))
    report.failures.extend(extra.get("failures", []))
    return await _outcome(world, plan, order, extra, started, sim_started)


async def _outcome(
    world: World,
    plan: OrderPlan,
    order: dict[str, Any],
    extra: dict[str, Any],
    started: float,
    sim_started: datetime,
) -> Outcome:
    order_id = str(order["order_id"])
    final = await world.sales_status(order_id) if order_id else "not_placed"
    order = await world.order_view(order_id) if order_id else order
    breaches = await _breaches(world, order.get("order_no"))
    return Outcome(
        order_no=str(order.get("order_no") or f"plan-{plan.index}"),
        klass=plan.klass,
        channel=plan.channel,
        final_status=final,
        expected_status=plan.expected_state,
        wall_seconds=time.monotonic() - started,
        simulated_days=(world.now() - sim_started).total_seconds() / 86400,
        breaches=breaches,
        complaint=plan.complaint,
        survey_answered=bool(extra.get("survey")),
    )


async def _through(world: World, plan: OrderPlan, order_id: str, extra: dict[str, Any]) -> None:
    if plan.incomplete:
        await customers.supply_missing_info(world, order_id)
    if plan.cancel == "before_release":
        await world.wait_status(order_id, *OPEN)
        await world.pause(2 * HOUR)
        await customers.cancel(world, order_id, "customer changed plans")
        await world.wait_status(order_id, "cancelled")
        return
    if plan.needs_approval:
        await manager.decide(world, order_id, plan.manager_rejects)
        if plan.manager_rejects:
            await world.wait_status(order_id, "rejected")
            return
    signing: asyncio.Task[None] | None = None
    if plan.klass in "BC":
        await world.wait_status(order_id, "awaiting_signature")
        if plan.never_signs:
            # the follow-up deadline (2 business days) passes, then the desk gives up
            await world.sleep_until(world.business_days_later(3))
            await customers.cancel(world, order_id, "confirmation never signed", False)
            await world.wait_status(order_id, "cancelled")
            return
        await customers.sign(world, order_id, plan.sign_after_days)
    else:
        # class A is released on the letter; the customer signs it all the same, meanwhile
        await world.wait_status(order_id, "released", "awaiting_signature")
        signing = asyncio.create_task(customers.sign(world, order_id, plan.sign_after_days))
    try:
        if plan.klass == "C":
            status = await world.wait_status(order_id, "awaiting_deposit", "released")
            if status == "awaiting_deposit":
                await customers.pay_deposit(world, order_id, plan.deposit_after_days)
        await world.wait_status(order_id, "released")
        if plan.amend:
            if signing is not None:
                await signing  # class A signs the first letter, then asks for the change
            await customers.amend(world, order_id, plan.amend)
            await _reconfirm(world, plan, order_id)
        if plan.cancel == "after_release":
            await world.pause(3 * HOUR)
            await customers.cancel(world, order_id, "project postponed")
            await world.wait_status(order_id, "cancelled")
            return
        await _fulfil(world, plan, order_id)
        if signing is not None:
            await signing  # signed before the invoice is paid and the order completes
        await _after_delivery(world, plan, order_id, extra)
    finally:
        if signing is not None and not signing.done():
            signing.cancel()


async def _reconfirm(world: World, plan: OrderPlan, order_id: str) -> None:
    """A change of quantities or date after release goes back through review: the manager
    approves again where the order needs it, and the customer signs the new letter (B, C) and
    pays the extra deposit a larger total needs (C). A new address alone changes nothing."""
    after_review = ("released", "awaiting_approval", "awaiting_signature", "awaiting_deposit")
    status = await world.wait_status(order_id, *after_review)
    if status == "awaiting_approval":
        await manager.decide(world, order_id, reject=False)
        status = await world.wait_status(order_id, *after_review[:1], *after_review[2:])
    if status == "awaiting_signature":
        await customers.sign(world, order_id, 0)
        status = await world.wait_status(order_id, "released", "awaiting_deposit")
    if status == "awaiting_deposit":
        await customers.top_up_deposit(world, order_id)
    await world.wait_status(order_id, "released")


async def _fulfil(world: World, plan: OrderPlan, order_id: str) -> None:
    stop = asyncio.Event()
    floor = asyncio.create_task(shop_floor.tend(world, plan, order_id, stop))
    try:
        # making a shortfall (with rework after a failed QC) takes simulated days, up to the
        # promised date and past it when production is late
        await staff.pick_and_pack(world, order_id, within=await _making_time(world, order_id))
    finally:
        stop.set()
        await floor
    shipment = await carrier.wait_shipment(world, order_id)
    await carrier.carry(world, str(shipment["id"]), plan.transit_days, plan.lost_in_transit)
    await world.wait_status(order_id, "delivered", "completed")


async def _making_time(world: World, order_id: str) -> timedelta:
    """Until three weeks past the promised date, and never less than 30 days."""
    promised = (await world.order_view(order_id)).get("promised_date")
    if not promised:
        return timedelta(days=30)
    until_promised = date.fromisoformat(promised) - world.today()
    return max(timedelta(days=30), until_promised + timedelta(days=21))


async def _after_delivery(
    world: World, plan: OrderPlan, order_id: str, extra: dict[str, Any]
) -> None:
    order = await world.order_view(order_id)
    jobs = [_survey(world, plan, order_id, extra)]
    if order["original_order_id"] is None:  # a free replacement has nothing to pay
        jobs.append(customers.pay_invoices(world, order_id, plan.pays_late_by_days))
    if plan.complaint:
        jobs.append(_complaint(world, plan, order, extra))
    await asyncio.gather(*jobs)
    await world.wait_status(order_id, "completed")


async def _survey(world: World, plan: OrderPlan, order_id: str, extra: dict[str, Any]) -> None:
    extra["survey"] = await after_sales.answer_survey(
        world, "delivery", order_id, plan.survey_score
    )


async def _complaint(
    world: World, plan: OrderPlan, order: dict[str, Any], extra: dict[str, Any]
) -> None:
    complaint = await after_sales.complain(world, plan, order)
    jobs: list[Coroutine[Any, Any, object]] = [
        after_sales.answer_survey(
            world, "complaint_resolution", str(complaint["complaint_id"]), plan.survey_score
        )
    ]
    if plan.remedy == "exchange":
        jobs.append(_replacement(world, plan, order, extra))
    await asyncio.gather(*jobs)


async def _replacement(
    world: World, plan: OrderPlan, original: dict[str, Any], extra: dict[str, Any]
) -> None:
    """The exchange's free replacement is a normal order from here: reviewed, signed where
    the class needs it, released, picked, packed, carried and delivered; nothing to pay."""
    started, sim_started = time.monotonic(), world.now()
    plain = dataclasses.replace(
        plan,
        incomplete=False,
        rush=False,
        big=False,
        manager_rejects=False,
        never_signs=False,
        sign_after_days=0,
        deposit_after_days=0,
        amend=None,
        cancel=None,
        qc_fails=False,
        scrap=0,
        lost_in_transit=False,
        complaint=None,
    )
    order: dict[str, Any] = {"order_no": f"plan-{plan.index}-replacement", "order_id": ""}
    mine: dict[str, Any] = {}
    failure = None
    try:
        order = await after_sales.replacement_order(world, original)
        await _through(world, plain, str(order["order_id"]), mine)
    except Exception as exc:
        failure = f"{order.get('order_no')} (replacement, plan {plan.index}): {exc!r}"
    outcome = await _outcome(world, plain, order, mine, started, sim_started)
    extra.setdefault("replacements", []).append(outcome)
    if failure:
        extra.setdefault("failures", []).append(failure)


async def _breaches(world: World, order_no: str | None) -> list[str]:
    if not order_no or "-" not in order_no or order_no.startswith("plan"):
        return []
    path = f"/orders/{order_no}/timeline"
    if await world.status_of("customer_service", "GET", path, as_=Role.AFTER_SALES) != 200:
        return []
    timeline = await world.timeline(order_no)
    return [
        e["event_type"] + _deadline(e.get("what", ""))
        for e in timeline["history"]
        if e["event_type"].endswith("sla_breached")
    ]


def _deadline(what: str) -> str:
    # "Deadline 'signature' breached (due ...)" -> " signature"
    parts = what.split("'")
    return f" {parts[1]}" if len(parts) >= 3 else ""
