"""The return loop: authorised -> received -> inspected -> refund or replacement requested."""

from __future__ import annotations

import structlog

from contracts.events import ReturnInspected, ReturnReceived
from services.customer_service.adapters.repositories import ReturnRepository
from services.customer_service.app.deps import Deps
from services.customer_service.app.notify import tell
from services.customer_service.domain.notices import Notice
from shared.uow import UnitOfWork

log = structlog.get_logger("customer_service.returns")


async def on_return_received(uow: UnitOfWork, msg: ReturnReceived) -> None:
    repo = ReturnRepository(uow.session)
    case = await repo.get(msg.return_id, for_update=True)
    if case is None:
        log.info("return_not_ours", return_id=str(msg.return_id))
        return
    if case["status"] == "authorized":
        await repo.update(msg.return_id, status="received", received_at=uow.clock.now())


async def on_return_inspected(uow: UnitOfWork, deps: Deps, msg: ReturnInspected) -> None:
    """Inspection closes the loop: a return is refunded, an exchange replaced.

    The request to sales is the return case in status ``settlement_requested`` (served at
    ``GET /returns?status=settlement_requested``): the contracts have no message for it yet.
    """
    repo = ReturnRepository(uow.session)
    case = await repo.get(msg.return_id, for_update=True)
    if case is None:
        log.info("return_not_ours", return_id=str(msg.return_id))
        return
    if case["status"] not in ("authorized", "received"):
        return  # already settled: a second inspection report changes nothing
    settlement = "replacement" if case["exchange"] else "refund"
    await repo.update(
        msg.return_id,
        status="settlement_requested",
        settlement=settlement,
        settlement_lines=[item.model_dump(mode="json") for item in msg.items],
        inspected_at=uow.clock.now(),
        received_at=case["received_at"] or uow.clock.now(),
    )
    subject = str(case["complaint_id"] or msg.return_id)
    await tell(
        uow,
        deps,
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
