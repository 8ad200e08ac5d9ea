"""Periodic work: reviews whose warehouse answer is overdue, work orders behind plan."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import structlog

from services.production.app import review, shop_floor
from services.production.app.common import Planning
from shared.aio import wait_or_stop
from shared.calendar import DeadlineRule
from shared.uow import UnitOfWork

log = structlog.get_logger("orderflow.production.jobs")


async def run_checks(
    new_uow: Callable[[], UnitOfWork], planning: Planning, warehouse_wait: DeadlineRule
) -> tuple[int, int]:
    async with new_uow() as uow:
        answered = await review.answer_overdue_reviews(uow, planning, warehouse_wait)
        await uow.commit()
    async with new_uow() as uow:
        delayed = await shop_floor.check_delays(uow, planning)
        await uow.commit()
    return answered, delayed


async def run_periodically(
    new_uow: Callable[[], UnitOfWork],
    planning: Planning,
    warehouse_wait: DeadlineRule,
    interval_s: float,
    stop: asyncio.Event,
) -> None:
    while not stop.is_set():
        try:
            answered, delayed = await run_checks(new_uow, planning, warehouse_wait)
            if answered or delayed:
                log.info("periodic_checks", reviews_answered=answered, delayed=delayed)
        except Exception as exc:
            log.warning("periodic_checks_failed", error=str(exc))
        await wait_or_stop(stop, interval_s)
