"""Periodic work: reviews whose warehouse answer is overdue, work orders behind plan.

Run by the service itself (the system actor), not by a person."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import structlog

from services.production.app import review, shop_floor
from services.production.app.unit import Work
from shared.aio import wait_or_stop
from shared.calendar import DeadlineRule
from shared.uow import UnitOfWork

log = structlog.get_logger("orderflow.production.jobs")


async def run_checks(
    new_uow: Callable[[], UnitOfWork],
    contexts: Callable[[UnitOfWork], Work],
    warehouse_wait: DeadlineRule,
) -> tuple[int, int]:
    async with new_uow() as uow:
        answered = await review.answer_overdue_reviews(contexts(uow), warehouse_wait)
        await uow.commit()
    async with new_uow() as uow:
        delayed = await shop_floor.check_delays(contexts(uow))
        await uow.commit()
    return answered, delayed


async def run_periodically(
    new_uow: Callable[[], UnitOfWork],
    contexts: Callable[[UnitOfWork], Work],
    warehouse_wait: DeadlineRule,
    interval_s: float,
    stop: asyncio.Event,
) -> None:
    while not stop.is_set():
        try:
            answered, delayed = await run_checks(new_uow, contexts, warehouse_wait)
            if answered or delayed:
                log.info("periodic_checks", reviews_answered=answered, delayed=delayed)
        except Exception as exc:
            log.warning("periodic_checks_failed", error=str(exc))
        await wait_or_stop(stop, interval_s)
