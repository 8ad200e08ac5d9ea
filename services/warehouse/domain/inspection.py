"""Inbound QC of finished goods from production, and inspection of customer returns.

Finished goods wait as a pending inspection: pass -> into stock (and reserved for their order);
fail -> ``inspection.failed`` with the defect, back to production for rework or scrap. Part of a
lot may be rejected; the accepted rest goes into stock.

Returned goods are inspected before anything else happens to them: each piece is restocked
(available again) or scrapped, with the reason (``return.inspected``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from contracts.base import Event
from contracts.common import LineQuantity
from contracts.enums import QcDisposition, ReturnOutcome
from contracts.events.warehouse import (
    InspectedReturnLine,
    InspectionFailed,
    InspectionPassed,
    ReturnInspected,
)
from contracts.status.warehouse import InspectionStatus, ReturnStatus
from services.warehouse.domain.errors import IllegalTransition, WarehouseError


@dataclass
class Inspection:
    inspection_id: UUID
    work_order_id: UUID | None
    order_id: UUID | None
    order_no: str | None
    line_no: int | None
    product_code: str
    lot_no: str
    quantity: int
    status: InspectionStatus = InspectionStatus.PENDING
    quantity_rejected: int = 0
    inspector: str | None = None
    defect: str | None = None
    decided_at: datetime | None = None
    events: list[Event] = field(default_factory=list)

    @property
    def quantity_accepted(self) -> int:
        return self.quantity - self.quantity_rejected

    def _ids(self) -> dict[str, object]:
        return {
            "inspection_id": self.inspection_id,
            "work_order_id": self.work_order_id,
            "order_id": self.order_id,
            "order_no": self.order_no,
            "product_code": self.product_code,
            "lot_no": self.lot_no,
            "inspector": self.inspector,
        }

    def pass_(self, inspector: str, at: datetime) -> int:
        """All pieces accepted; returns how many go into stock (none for a repeat)."""
        if self._decided_already(InspectionStatus.PASSED, inspector):
            return 0
        self._decide(inspector, at)
        self.status = InspectionStatus.PASSED
        self.events.append(InspectionPassed(**self._ids(), quantity=self.quantity))
        return self.quantity

    def fail(
        self,
        inspector: str,
        at: datetime,
        defect: str,
        disposition: QcDisposition,
        quantity_rejected: int | None = None,
        defect_code: str | None = None,
    ) -> int:
        """Reject (part of) the lot; returns how many pieces are still accepted into stock."""
        rejected = self.quantity if quantity_rejected is None else quantity_rejected
        if not 1 <= rejected <= self.quantity:
            raise WarehouseError(f"quantity_rejected must be 1..{self.quantity}, got {rejected}")
        if not defect.strip():
            raise WarehouseError("a failed inspection needs the defect")
        if self._decided_already(InspectionStatus.FAILED, inspector) and (
            self.quantity_rejected,
            self.defect,
        ) == (rejected, defect):
            return 0
        self._decide(inspector, at)
        self.status = InspectionStatus.FAILED
        self.quantity_rejected = rejected
        self.defect = defect
        self.events.append(
            InspectionFailed(
                **self._ids(),
                quantity_inspected=self.quantity,
                quantity_rejected=rejected,
                defect_code=defect_code,
                defect=defect,
                disposition=disposition,
            )
        )
        if self.quantity_accepted:
            self.events.append(InspectionPassed(**self._ids(), quantity=self.quantity_accepted))
        return self.quantity_accepted

    def _decided_already(self, status: InspectionStatus, inspector: str) -> bool:
        """The same decision by the same inspector again (its answer lost on the way)."""
        return self.status == status and self.inspector == inspector

    def _decide(self, inspector: str, at: datetime) -> None:
        if self.status != InspectionStatus.PENDING:
            raise IllegalTransition("inspection", self.status)
        self.inspector, self.decided_at = inspector, at


@dataclass
class ReturnOutcomeLine:
    line_no: int | None
    product_code: str
    quantity: int
    outcome: ReturnOutcome
    reason: str


@dataclass
class GoodsReturn:
    return_id: UUID
    rma_no: str
    order_id: UUID | None
    order_no: str | None
    lines: list[LineQuantity]
    condition_notes: str | None = None
    status: ReturnStatus = ReturnStatus.RECEIVED
    complaint_id: UUID | None = None
    inspector: str | None = None
    results: list[ReturnOutcomeLine] = field(default_factory=list)
    inspected_at: datetime | None = None
    events: list[Event] = field(default_factory=list)

    def inspect(
        self, results: list[ReturnOutcomeLine], inspector: str, at: datetime
    ) -> list[ReturnOutcomeLine]:
        """Every returned piece gets an outcome; returns the lines to restock (none when the
        same inspection comes again)."""
        if self.status == ReturnStatus.INSPECTED and (self.inspector, self.results) == (
            inspector,
            results,
        ):
            return []
        if self.status != ReturnStatus.RECEIVED:
            raise IllegalTransition("return", self.status)
        received = Counter[str]()
        for line in self.lines:
            received[line.product_code] += line.quantity
        decided = Counter[str]()
        for result in results:
            if not result.reason.strip():
                raise WarehouseError(f"{result.product_code}: give the reason")
            decided[result.product_code] += result.quantity
        if decided != received:
            raise WarehouseError(
                f"outcomes cover {dict(decided)} but the return holds {dict(received)}"
            )
        self.status, self.results, self.inspector, self.inspected_at = (
            ReturnStatus.INSPECTED,
            results,
            inspector,
            at,
        )
        self.events.append(
            ReturnInspected(
                return_id=self.return_id,
                rma_no=self.rma_no,
                order_id=self.order_id,
                order_no=self.order_no,
                complaint_id=self.complaint_id,
                inspector=inspector,
                items=[
                    InspectedReturnLine(
                        line_no=r.line_no,
                        product_code=r.product_code,
                        quantity=r.quantity,
                        outcome=r.outcome,
                        reason=r.reason,
                    )
                    for r in results
                ],
            )
        )
        return [r for r in results if r.outcome == ReturnOutcome.RESTOCK]
