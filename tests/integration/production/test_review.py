"""Contract review: production quotes the warehouse's shortfall by finite-capacity loading."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from contracts.enums import ReviewDepartment, ReviewVerdict
from contracts.events.production import ProductionScheduled
from contracts.events.sales import OrderReviewed
from services.production.entrypoints.jobs import run_checks
from tests.harness import eventually, send
from tests.integration.production.builders import (
    confirm_with_shortfall,
    line,
    order_no,
    review_requested,
    seed_line,
    seed_product,
    warehouse_reviewed,
)


def _production_reviews(spy, order_id):
    return [r for r in spy.of(OrderReviewed, str(order_id)) if r.department == "production"]


async def _wait_review(spy, order_id) -> OrderReviewed:
    async def answered() -> bool:
        return bool(_production_reviews(spy, order_id))

    await eventually(answered, timeout=15)
    return _production_reviews(spy, order_id)[0]


async def test_review_quotes_the_earliest_finish_of_what_the_warehouse_cannot_cover(
    client, production, spy, amqp_channel, ns, clock
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, number = uuid.uuid4(), order_no()
    lines = [line(1, "P-100", 40)]
    # The warehouse answers first: 15 on hand, so 25 are to be made.
    await send(
        amqp_channel,
        ns,
        warehouse_reviewed(order_id, number, {1: ("P-100", 40, 15)}),
        correlation_id=str(order_id),
    )
    await send(
        amqp_channel,
        ns,
        review_requested(order_id, number, lines, date(2026, 12, 31), clock.now()),
        correlation_id=str(order_id),
    )
    review = await _wait_review(spy, order_id)
    assert review.verdict == ReviewVerdict.APPROVE
    assert review.department == ReviewDepartment.PRODUCTION
    # 25 pieces at 10 a day from Tuesday 8 Dec: 10 + 10 + 5 -> Thursday 10 Dec.
    assert review.earliest_date == date(2026, 12, 10)
    assert review.lines[0].quantity_available == 25


async def test_review_waits_for_the_warehouse_then_quotes_on_top_of_booked_work(
    client, production, spy, amqp_channel, ns, clock
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_line(client, "L2", {"pump": 5, "valve": 20})
    await seed_product(client, "P-100", "pump")
    order_id, number = uuid.uuid4(), order_no()
    await send(
        amqp_channel,
        ns,
        review_requested(order_id, number, [line(1, "P-100", 30)], date(2026, 12, 31), clock.now()),
        correlation_id=str(order_id),
    )
    # No answer until the warehouse has said what it has on hand.
    await send(
        amqp_channel,
        ns,
        warehouse_reviewed(order_id, number, {1: ("P-100", 30, 0)}),
        correlation_id=str(order_id),
    )
    review = await _wait_review(spy, order_id)
    # 30 pieces: L1 alone makes 10 a day (Tue-Thu, 10 Dec); L2 makes 5 a day (16 Dec).
    assert review.earliest_date == date(2026, 12, 10)
    assert len(_production_reviews(spy, order_id)) == 1


async def test_review_again_waits_for_the_warehouse_answer_of_the_same_round(
    client, production, spy, amqp_channel, ns, clock
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, number = uuid.uuid4(), order_no()
    due = date(2026, 12, 31)

    async def put(message):
        await send(amqp_channel, ns, message, correlation_id=str(order_id))

    await put(warehouse_reviewed(order_id, number, {1: ("P-100", 40, 15)}, review_round=1))
    await put(
        review_requested(order_id, number, [line(1, "P-100", 40)], due, clock.now(), review_round=1)
    )
    first = await _wait_review(spy, order_id)
    assert (first.review_round, first.lines[0].quantity_available) == (1, 25)
    # The order is amended to 50: round 2. The warehouse's round-1 stock (15) no longer counts,
    # also when a copy of that answer arrives late; production quotes on the round-2 answer.
    await put(
        review_requested(order_id, number, [line(1, "P-100", 50)], due, clock.now(), review_round=2)
    )
    await put(warehouse_reviewed(order_id, number, {1: ("P-100", 40, 15)}, review_round=1))
    await put(warehouse_reviewed(order_id, number, {1: ("P-100", 50, 0)}, review_round=2))

    async def second_round() -> bool:
        return any(r.review_round == 2 for r in _production_reviews(spy, order_id))

    await eventually(second_round, timeout=15)
    [again] = [r for r in _production_reviews(spy, order_id) if r.review_round == 2]
    assert again.lines[0].quantity_available == 50


async def test_review_again_after_release_does_not_count_the_orders_own_planned_work(
    client, production, spy, amqp_channel, ns, clock
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    due = date(2026, 12, 31)
    # released with 40, 15 from stock: 25 planned on L1 from Tuesday 8 Dec to Thursday 10 Dec
    order_id, number = await confirm_with_shortfall(
        amqp_channel, ns, [line(1, "P-100", 40)], due, on_hand={1: 15}
    )
    await spy.wait_for(ProductionScheduled, correlation_id=str(order_id), timeout=15)

    async def put(message):
        await send(amqp_channel, ns, message, correlation_id=str(order_id))

    # amended to 45, reviewed again: 30 to make. Its own 25 pieces are what gets moved, not
    # load in its way: 10 a day from the 8th finishes on the 10th (on top of them: the 15th).
    await put(warehouse_reviewed(order_id, number, {1: ("P-100", 45, 15)}, review_round=2))
    await put(
        review_requested(order_id, number, [line(1, "P-100", 45)], due, clock.now(), review_round=2)
    )
    again = await _wait_review(spy, order_id)
    assert (again.review_round, again.lines[0].quantity_available) == (2, 30)
    assert again.earliest_date == date(2026, 12, 10)


async def test_review_rejects_a_product_no_line_can_make(
    client, production, spy, amqp_channel, ns, clock
):
    await seed_line(client, "L1", {"pump": 10})
    order_id, number = uuid.uuid4(), order_no()
    await send(
        amqp_channel,
        ns,
        review_requested(
            order_id,
            number,
            [line(1, "UNKNOWN-9", 5)],
            date(2026, 12, 31),
            clock.now(),
            with_warehouse=False,
        ),
        correlation_id=str(order_id),
    )
    review = await _wait_review(spy, order_id)
    assert review.verdict == ReviewVerdict.REJECT
    assert "UNKNOWN-9" in (review.notes or "")


async def test_review_rejects_when_no_date_before_the_requested_date(
    client, production, spy, amqp_channel, ns, clock
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, number = uuid.uuid4(), order_no()
    await send(
        amqp_channel,
        ns,
        review_requested(
            order_id,
            number,
            [line(1, "P-100", 100)],
            date(2026, 12, 11),
            clock.now(),
            with_warehouse=False,
        ),
        correlation_id=str(order_id),
    )
    review = await _wait_review(spy, order_id)
    assert review.verdict == ReviewVerdict.REJECT
    # 100 pieces at 10 a day from Tue 8 Dec: ten business days -> Monday 21 Dec.
    assert review.earliest_date == date(2026, 12, 21)
    assert "after the requested date 2026-12-11" in (review.notes or "")


async def test_without_the_warehouse_answer_the_full_quantity_is_quoted_after_the_wait(
    client, production, spy, amqp_channel, ns, clock
):
    await seed_line(client, "L1", {"pump": 10})
    await seed_product(client, "P-100", "pump")
    order_id, number = uuid.uuid4(), order_no()
    await send(
        amqp_channel,
        ns,
        review_requested(order_id, number, [line(1, "P-100", 20)], date(2026, 12, 31), clock.now()),
        correlation_id=str(order_id),
    )

    async def stored() -> bool:
        async with production.new_uow() as uow:
            return bool(await production.contexts(uow).orders.waiting_reviews())

    await eventually(stored, timeout=15)
    settings = production.settings
    checks = (production.new_uow, production.contexts, settings.warehouse_wait)
    assert await run_checks(*checks) == (0, 0)
    clock.advance(timedelta(hours=4))
    assert (await run_checks(*checks))[0] == 1
    review = await _wait_review(spy, order_id)
    assert review.verdict == ReviewVerdict.APPROVE
    assert review.earliest_date == date(2026, 12, 9)  # all 20 to make: Tue and Wed
