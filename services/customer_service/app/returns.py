"""The return loop: authorised -> received -> inspected -> refund or replacement requested."""

from __future__ import annotations

import structlog

from contracts.events import ReturnInspected, ReturnReceived, ReturnSettlementRequested
from contracts.status.customer_service import ReturnCaseStatus
from services.customer_service.app.notify import tell
from services.customer_service.app.unit import Work
from services.customer_service.domain.notices import Notice
from services.customer_service.domain.returns import (
    accepted_lines,
    settlement_for,
    settlement_reason,
)

log = structlog.get_logger("customer_service.returns")


async def on_return_received(work: Work, msg: ReturnReceived) -> None:
    case = await work.returns.get(msg.return_id, for_update=True)
    if case is None:
        log.info("return_not_ours", return_id=str(msg.return_id))
        return
    if case["status"] == ReturnCaseStatus.AUTHORIZED:
        await work.returns.update(
            msg.return_id, status=ReturnCaseStatus.RECEIVED.value, received_at=work.now
        )


async def on_return_inspected(work: Work, msg: ReturnInspected) -> None:
    """Inspection closes the loop: a return is refunded, an exchange replaced.

    Sales is asked once with ``return.settlement_requested``; the case moves to status
    ``settlement_requested`` (served at ``GET /returns?status=settlement_requested``) in the same
    transaction, so a second inspection report asks nothing more.
    """
    case = await work.returns.get(msg.return_id, for_update=True)
    if case is None:
        log.info("return_not_ours", return_id=str(msg.return_id))
        return
    if case["status"] not in (ReturnCaseStatus.AUTHORIZED, ReturnCaseStatus.RECEIVED):
        return  # already settled: a second inspection report changes nothing
    settlement = settlement_for(case["exchange"])
    await work.returns.update(
        msg.return_id,
        status=ReturnCaseStatus.SETTLEMENT_REQUESTED.value,
        settlement=str(settlement),
        settlement_lines=[item.model_dump(mode="json") for item in msg.items],
        inspected_at=work.now,
        received_at=case["received_at"] or work.now,
    )
    subject = str(case["complaint_id"] or msg.return_id)
    await work.uow.emit(
        ReturnSettlementRequested(
            return_id=msg.return_id,
            rma_no=case["rma_no"],
            complaint_id=case["complaint_id"],
            complaint_no=case["complaint_no"],
            order_id=case["order_id"] or msg.order_id,
            order_no=case["order_no"] or msg.order_no,
            settlement=settlement,
            lines=accepted_lines(msg.items, case["lines"]),
            reason=settlement_reason(case["rma_no"], msg.items),
        ),
        correlation_id=subject,
    )
    await tell(
        work,
        Notice(
            f"{subject}:return_inspected",
            subject,
            "return_inspected",
            "Returned goods inspected",
            f"Your returned goods ({case['rma_no']}) were inspected; a {settlement} "
            "has been requested.",
            case["order_no"],
        ),
    )
