"""Satisfaction surveys after each delivery and each resolution; scores recorded."""

from __future__ import annotations

from uuid import UUID, uuid4

from contracts.enums import Channel, SurveyTrigger
from contracts.events import SurveyAnswered, SurveySent
from services.customer_service.adapters.repositories import SurveyRepository
from services.customer_service.app.deps import NotFound
from services.customer_service.domain.errors import IllegalTransition
from shared.uow import UnitOfWork


async def send_survey(
    uow: UnitOfWork,
    trigger: SurveyTrigger,
    subject: str,
    customer_id: str,
    correlation_id: str,
    *,
    order_id: UUID | None = None,
    order_no: str | None = None,
    complaint_id: UUID | None = None,
    complaint_no: str | None = None,
    ticket_id: UUID | None = None,
) -> bool:
    """One survey per trigger and subject, however often the trigger is reported."""
    survey_id = uuid4()
    links = {
        "order_id": order_id,
        "order_no": order_no,
        "complaint_id": complaint_id,
        "complaint_no": complaint_no,
        "ticket_id": ticket_id,
    }
    added = await SurveyRepository(uow.session).add_once(
        survey_id=survey_id,
        survey_key=f"{trigger}:{subject}",
        trigger=trigger,
        customer_id=customer_id,
        sent_at=uow.clock.now(),
        **links,
    )
    if added:
        await uow.emit(
            SurveySent(
                survey_id=survey_id,
                trigger=trigger,
                customer_id=customer_id,
                channel=Channel.EMAIL,
                link=f"/surveys/{survey_id}",
                **links,
            ),
            correlation_id=correlation_id,
        )
    return added


async def answer_survey(
    uow: UnitOfWork,
    survey_id: UUID,
    score: int,
    recommend_score: int | None,
    comment: str | None,
) -> None:
    async with uow:
        repo = SurveyRepository(uow.session)
        survey = await repo.get(survey_id, for_update=True)
        if survey is None:
            raise NotFound(f"survey {survey_id}")
        if survey["answered_at"] is not None:
            given = (survey["score"], survey["recommend_score"], survey["comment"])
            if given == (score, recommend_score, comment):
                return  # the same answer again (its answer lost on the way)
            raise IllegalTransition("survey", "answered", "answer")
        await repo.answer(
            survey_id,
            score=score,
            recommend_score=recommend_score,
            comment=comment,
            answered_at=uow.clock.now(),
        )
        correlation = survey["order_id"] or survey["complaint_id"] or survey["ticket_id"]
        await uow.emit(
            SurveyAnswered(
                survey_id=survey_id,
                trigger=survey["trigger"],
                customer_id=survey["customer_id"],
                order_id=survey["order_id"],
                order_no=survey["order_no"],
                complaint_id=survey["complaint_id"],
                complaint_no=survey["complaint_no"],
                ticket_id=survey["ticket_id"],
                score=score,
                recommend_score=recommend_score,
                comment=comment,
            ),
            correlation_id=str(correlation or survey_id),
        )
        await uow.commit()
