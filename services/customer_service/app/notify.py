"""Telling the customer: who to tell, through the notifier port, once per moment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.customer_service.app.unit import Work
from services.customer_service.domain.notices import Notice


async def recipient_for(work: Work, notice: Notice) -> dict[str, Any]:
    """The order's contact from the timeline, or the complaint's contact."""
    timeline = await work.timelines.get(notice.subject_id)
    if timeline is not None and timeline.contact:
        return {"customer_id": timeline.customer_id, **timeline.contact}
    if timeline is not None and timeline.kind == "complaint":
        complaint = await work.complaints.get(UUID(notice.subject_id))
        if complaint is not None:
            return {"customer_id": complaint.customer_id, **(complaint.contact or {})}
    customer = notice.customer_id or (timeline.customer_id if timeline else None)
    return {"customer_id": customer}


async def tell(work: Work, notice: Notice) -> bool:
    recipient = await recipient_for(work, notice)
    return await work.notifier.notify(work.uow.session, notice, recipient, work.now)
