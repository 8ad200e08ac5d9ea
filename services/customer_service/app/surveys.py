"""Satisfaction surveys after each delivery and each resolution; scores recorded."""

from __future__ import annotations

from uuid import UUID, uuid4

from contracts.enums import Channel, SurveyTrigger
from contracts.events import SurveyAnswered, SurveySent
from services.customer_service.app.unit import Work
from services.customer_service.domain.errors import IllegalTransition
from shared.errors import NotFound


async def send_survey(
    work: Work,
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
    added = await work.surveys.add_once(
        survey_id=survey_id,
        survey_key=f"{trigger}:{subject}",
        trigger=trigger,
        customer_id=customer_id,
        sent_at=work.now,
        **links,
    )
    if added:
        await work.uow.emit(
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
    work: Work,
    survey_id: UUID,
    score: int,
    recommend_score: int | None,
    comment: str | None,
) -> None:
    """The customer's answer; the same answer again (its reply lost) changes nothing."""
    survey = await work.surveys.get(survey_id, for_update=True)
    if survey is None:
        raise NotFound("survey", survey_id)
    correlation = survey["order_id"] or survey["complaint_id"] or survey["ticket_id"]
    work.about(correlation or survey_id)
    if survey["answered_at"] is not None:
        given = (survey["score"], survey["recommend_score"], survey["comment"])
        if given == (score, recommend_score, comment):
            return
        raise IllegalTransition("survey", "answered", "answer")
    await work.surveys.answer(
        survey_id,
        score=score,
        recommend_score=recommend_score,
        comment=comment,
        answered_at=work.now,
    )
    await work.uow.emit(
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
        )
    )
