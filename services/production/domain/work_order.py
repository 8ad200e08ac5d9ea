"""The work order: one production job for (part of) an order line, and the events it raises."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from contracts.base import Message
from contracts.enums import DelayCause
from contracts.events.production import (
    ProductionCancelled,
    ProductionCompleted,
    ProductionDelayed,
    ProductionProgressed,
)
from contracts.events.production import WorkOrder as WorkOrderModel
from contracts.status.production import WorkOrderKind, WorkOrderStatus
from services.production.domain.capacity import IsBusinessDay, Line, Plan, Slot
from services.production.domain.errors import IllegalTransition
from shared.errors import Invalid


@dataclass
class WorkOrder:
    """Records the events it raises (``events``, for ``UnitOfWork.collect``); they go out under
    the order the work order belongs to (``correlation_id``)."""

    work_order_id: UUID
    work_order_no: str
    order_id: UUID
    order_no: str
    line_no: int
    product_code: str
    spec: str
    family: str
    quantity: int
    promised_date: date
    rush: bool = False
    prepaid: bool = False
    kind: WorkOrderKind = WorkOrderKind.PRODUCTION
    parent_id: UUID | None = None
    status: WorkOrderStatus = WorkOrderStatus.PLANNED
    line_code: str | None = None
    planned_start: date | None = None
    planned_finish: date | None = None
    quantity_done: int = 0
    quantity_scrapped: int = 0
    lot_no: str | None = None
    materials_ready: bool = True
    delay_reported_for: date | None = None
    sequence: int = 0
    slots: list[Slot] = field(default_factory=list)
    events: list[Message] = field(default_factory=list, compare=False, repr=False)

    @property
    def correlation_id(self) -> str:
        """Everything a work order raises belongs to its order's story."""
        return str(self.order_id)

    @property
    def open(self) -> bool:
        return self.status in (WorkOrderStatus.PLANNED, WorkOrderStatus.STARTED)

    def as_contract(self) -> WorkOrderModel:
        assert self.line_code and self.planned_start and self.planned_finish
        return WorkOrderModel(
            work_order_id=self.work_order_id,
            work_order_no=self.work_order_no,
            line_no=self.line_no,
            product_code=self.product_code,
            spec=self.spec,
            quantity=self.quantity,
            production_line=self.line_code,
            planned_start=self.planned_start,
            planned_finish=self.planned_finish,
        )

    # --- planning -------------------------------------------------------------------------

    def assign(self, plan: Plan, *, cause: DelayCause, reason: str) -> None:
        """Put the work order on a plan; a finish past the promised date is a delay."""
        old_finish = self.planned_finish
        self.line_code = plan.line_code
        self.slots = list(plan.slots)
        self.planned_start, self.planned_finish = plan.start, plan.finish
        if plan.finish > self.promised_date:
            self._delayed(old_finish, plan.finish, cause, reason)

    def promise(self, new_date: date) -> None:
        """A new promised date; a plan finishing after it is a delay."""
        self.promised_date = new_date
        if self.planned_finish is not None and self.planned_finish > new_date:
            self._delayed(
                self.planned_finish,
                self.planned_finish,
                DelayCause.CAPACITY,
                f"planned finish {self.planned_finish} is after the new promised date {new_date}",
            )

    def _delayed(self, old: date | None, new: date, cause: DelayCause, reason: str) -> None:
        """Report a delay once per new date, not each time the same lateness is noticed."""
        if self.delay_reported_for == new:
            return
        self.delay_reported_for = new
        self.events.append(
            ProductionDelayed(
                order_id=self.order_id,
                order_no=self.order_no,
                work_order_id=self.work_order_id,
                old_date=old,
                new_date=new,
                cause=cause,
                reason=reason,
            )
        )

    def check_behind_plan(self, today: date, line: Line, is_business_day: IsBusinessDay) -> None:
        """Pieces planned before today but not made push the finish back by the days they need.

        The estimate uses the line's own rate for the family and its working days.
        """
        if not self.open or self.planned_finish is None or not line.makes(self.family):
            return
        expected = sum(s.quantity for s in self.slots if s.day < today)
        behind = min(expected, self.quantity) - self.quantity_done
        if behind <= 0:
            return
        days_needed = math.ceil(behind / line.rates[self.family])
        new_finish = max(self.planned_finish, today - timedelta(days=1))
        while days_needed > 0:
            new_finish += timedelta(days=1)
            if line.works_on(new_finish, is_business_day):
                days_needed -= 1
        self._delayed(
            self.planned_finish,
            new_finish,
            DelayCause.CAPACITY,
            f"behind plan: {self.quantity_done} of {expected} planned pieces made by {today}",
        )

    # --- shop floor -----------------------------------------------------------------------

    def report(
        self,
        *,
        started: bool,
        quantity_done: int,
        quantity_scrapped: int,
        complete: bool,
        lot_no: str | None,
        reported_by: str,
        today: date,
    ) -> None:
        """Cumulative figures: a repeated or older report never lowers them. ``reported_by`` is
        the signed-in person (or the person a shop-floor system reports for)."""
        if self.status == WorkOrderStatus.COMPLETED:
            if complete and lot_no == self.lot_no:
                return  # the same completion again
            raise IllegalTransition(self.status, "work order is already completed")
        if self.status == WorkOrderStatus.CANCELLED:
            raise IllegalTransition(self.status, "work order is cancelled")
        working = started or complete or quantity_done > 0 or quantity_scrapped > 0
        if self.status == WorkOrderStatus.PLANNED and working and not self.materials_ready:
            raise IllegalTransition(self.status, "materials are short: waiting for receipt")
        if complete and not lot_no:
            raise Invalid("lot_no", "a lot number is required when complete is true")
        done = max(self.quantity_done, quantity_done)
        scrapped = max(self.quantity_scrapped, quantity_scrapped)
        if complete and done < 1:
            raise IllegalTransition(self.status, "cannot complete with no good pieces made")
        changed = (done, scrapped) != (self.quantity_done, self.quantity_scrapped)
        if working and self.status == WorkOrderStatus.PLANNED:
            self.status, changed = WorkOrderStatus.STARTED, True
        self.quantity_done, self.quantity_scrapped = done, scrapped
        if changed or complete:
            self.events.append(
                ProductionProgressed(
                    work_order_id=self.work_order_id,
                    order_id=self.order_id,
                    order_no=self.order_no,
                    quantity_planned=self.quantity,
                    quantity_done=done,
                    quantity_scrapped=scrapped,
                    started=self.status != WorkOrderStatus.PLANNED,
                    reported_by=reported_by,
                )
            )
        if complete:
            assert lot_no is not None
            self.status, self.lot_no = WorkOrderStatus.COMPLETED, lot_no
            self.slots = [s for s in self.slots if s.day <= today]
            self.events.append(
                ProductionCompleted(
                    work_order_id=self.work_order_id,
                    order_id=self.order_id,
                    order_no=self.order_no,
                    work_order_no=self.work_order_no,
                    line_no=self.line_no,
                    product_code=self.product_code,
                    quantity=done,
                    quantity_scrapped=scrapped,
                    lot_no=lot_no,
                )
            )

    def cancel(self, reason: str, today: date) -> bool:
        """Stop the work order and free its capacity from tomorrow; pieces made are reported."""
        if not self.open:
            return False
        was_started = self.status == WorkOrderStatus.STARTED
        self.status = WorkOrderStatus.CANCELLED
        self.slots = [s for s in self.slots if s.day <= today] if was_started else []
        if was_started:
            reason = f"{reason}; work had started, {self.quantity_done} pieces made go to stock"
        self.events.append(
            ProductionCancelled(
                work_order_id=self.work_order_id,
                order_id=self.order_id,
                order_no=self.order_no,
                reason=reason,
                quantity_done=self.quantity_done,
            )
        )
        return True
