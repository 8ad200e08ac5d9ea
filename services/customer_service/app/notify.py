"""Telling the customer: who to tell, through the notifier port, once per moment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.customer_service.adapters.repositories import ComplaintRepository
from services.customer_service.adapters.timeline_repository import TimelineRepository
from services.customer_service.app.deps import Deps
from services.customer_service.domain.notices import Notice
from shared.uow import UnitOfWork


async def recipient_for(uow: UnitOfWork, notice: Notice) -> dict[str, Any]:
    """The order's contact from the timeline, or the complaint's contact."""
    timeline = await TimelineRepository(uow.session).get(notice.subject_id)
    if timeline is not None and timeline.contact:
        return {"customer_id": timeline.customer_id, **timeline.contact}
    if timeline is not None and timeline.kind == "complaint":
        complaint = await ComplaintRepository(uow.session).get(UUID(notice.subject_id))
        if complaint is not None:
            return {"customer_id": complaint.customer_id, **(complaint.contact or {})}
    customer = notice.customer_id or (timeline.customer_id if timeline else None)
    return {"customer_id": customer}


async def tell(uow: UnitOfWork, deps: Deps, notice: Notice) -> bool:
    recipient = await recipient_for(uow, notice)
    return await deps.notifier.notify(uow.session, notice, recipient, uow.clock.now())
